using Microsoft.Extensions.Hosting;
using ServerlessComments;
using ServerlessComments.SelfHost;
using ServerlessComments.SelfHost.Demo;

// A verb (import, export, replay-poison, …) runs and exits; no verb: serve.
if (await Verbs.RunAsync(args) is { } exitCode)
    return exitCode;

// Content root = the app's own folder, so appsettings.json and host.json are found wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddFunctionsHostSettings();
builder.Services.AddCommentServices(builder.Configuration);
builder.Services.AddAzureStorage(builder.Configuration);
builder.Services.AddAkismet(builder.Configuration);
builder.Services.AddEmail(builder.Configuration);
builder.Services.AddPictures();
builder.Services.AddCommentTelemetry(builder.Configuration);
builder.Services.AddBlogCors(builder.Configuration);
builder.Services.AddHostedService<PrivacySchedule>();
builder.Services.AddHostedService<SpamFilterSchedule>();
builder.Services.AddDemoSite(builder.Configuration);
builder.Host.ConfigureWebJobs(webJobs => webJobs.AddAzureStorageQueues());

var app = builder.Build();
app.UseCors();
app.MapCommentsApi();
app.MapDevOutbox();
app.MapDemoSite();
await app.RunAsync();
return 0;

public partial class Program;
