using Microsoft.Extensions.Hosting;
using ServerlessComments;
using ServerlessComments.SelfHost;

if (args is [ReplayPoisonCommand.Name, .. var replayArgs])
    return await ReplayPoisonCommand.RunAsync(replayArgs);

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddFunctionsHostSettings();
builder.Services.AddCommentServices(builder.Configuration);
builder.Services.AddBlogCors(builder.Configuration);
builder.Host.ConfigureWebJobs(webJobs => webJobs.AddAzureStorageQueues());

var app = builder.Build();
app.UseCors();
app.MapCommentsApi();
await app.RunAsync();
return 0;

public partial class Program;
