using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ServerlessComments;
using ServerlessComments.Functions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddCommentServices(builder.Configuration, QueueNames.Literal);
builder.AddCommentTelemetry();
builder.Build().Run();
