using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessComments.Formatting;

namespace ServerlessComments.Web.Api;

/// <summary><c>POST /api/preview</c> <c>{"body"}</c>: the text as the thread would show it (the
/// form's Preview). The rules are <see cref="CommentPreview"/>'s; this reads and answers.</summary>
public sealed class PreviewApi(CommentPreview preview, IOptions<NetworkOptions> network)
{
    public sealed record PreviewRequest(string? Body);
    public sealed record Previewed(IReadOnlyList<MarkupNode>? Formatted);

    public Task<IResult> PreviewAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = JsonBody.Of<PreviewRequest>(request).Body;
        IResult answer = preview.Preview(body, ClientContext.From(request, network.Value).Ip) switch
        {
            PreviewOutcome.Shown s => TypedResults.Ok(new Previewed(s.Formatted)),
            PreviewOutcome.Invalid i => Problems.Field("body", i.Message),
            PreviewOutcome.TooFast f => Problems.TooMany(f.Seconds, "Wait a little before previewing again."),
            var other => throw new InvalidOperationException("Unknown outcome " + other),
        };
        return Task.FromResult(answer);
    }
}
