using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ServerlessComments;
using ServerlessComments.Functions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddCommentServices(builder.Configuration);
builder.Services.AddAzureStorage(builder.Configuration, QueueNames.Literal);
builder.Services.AddAkismet(builder.Configuration);
builder.Services.AddEmail(builder.Configuration);
builder.Services.AddPictures();
builder.AddCommentTelemetry();
builder.Build().Run();
