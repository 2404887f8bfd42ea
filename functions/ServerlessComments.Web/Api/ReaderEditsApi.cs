using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessComments.Editing;

namespace ServerlessComments.Web.Api;

/// <summary>
/// A reader's edit or delete of their own comment, <c>PUT</c>/<c>DELETE /api/comments/{id}</c>
/// with the comment's edit token as <c>Authorization: Bearer …</c>. The rules are
/// <see cref="ReaderEdits"/>'; this reads the request and writes the answer.
/// </summary>
public sealed class ReaderEditsApi(ReaderEdits edits, IOptions<NetworkOptions> network)
{
    /// <summary>The cap on an edit's JSON body (declared on the route table): as a new comment's.</summary>
    public const int MaxBodyBytes = CommentsApi.MaxRequestBytes;
    public const string TokenHeader = "Authorization";

    public sealed record EditRequest(string? Body);
    public sealed record EditAccepted(string Id, DateTime EditedAt, string Status);

    /// <summary><c>PUT /api/comments/{id}</c> <c>{"body"}</c>: 202 once the edit is queued; it is judged again, then shown.</summary>
    public async Task<IResult> EditAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var body = JsonBody.Of<EditRequest>(request);
        return Answer(await edits.EditAsync(id, Token(request), body.Body, ClientContext.From(request, network.Value), cancellationToken));
    }

    /// <summary><c>DELETE /api/comments/{id}</c>: 204 once deleted (or a placeholder left for its replies).</summary>
    public async Task<IResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        Answer(await edits.DeleteAsync(id, Token(request), ClientContext.From(request, network.Value), cancellationToken));

    private static string? Token(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;

    private static IResult Answer(EditOutcome outcome) => outcome switch
    {
        EditOutcome.Accepted a => TypedResults.Accepted((string?)null, new EditAccepted(a.Id, a.EditedAt.UtcDateTime, "pending")),
        EditOutcome.Deleted => TypedResults.NoContent(),
        EditOutcome.Invalid i => Problems.Fields(i.Errors),
        EditOutcome.TooMany t => Problems.TooMany(t.Seconds, "Too many edits from this address: wait a little."),
        EditOutcome.Refused { Reason: EditRefusal.NotYet } r => Problems.WithRetryAfter(5, Problems.Field("id", r.Message, StatusCodes.Status409Conflict)),
        EditOutcome.Refused r => Problems.Field(r.Reason == EditRefusal.WrongToken ? TokenHeader : r.Reason == EditRefusal.Off ? Problems.WholeRequest : "id", r.Message,
            Status(r.Reason), Title(r.Reason)),
        var other => throw new InvalidOperationException("Unknown outcome " + other),
    };

    private static int Status(EditRefusal reason) => reason switch
    {
        EditRefusal.Expired or EditRefusal.Gone => StatusCodes.Status410Gone,
        EditRefusal.TooManyEdits => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status403Forbidden,
    };

    // The reason in a word a client can test (the problem's title), besides the sentence in errors.
    private static string Title(EditRefusal reason) => reason switch
    {
        EditRefusal.Off => "Edits are off.",
        EditRefusal.WrongToken => "Wrong edit token.",
        EditRefusal.Expired => "The edit window is closed.",
        EditRefusal.Gone => "The comment is gone.",
        EditRefusal.TooManyEdits => "Edited too many times.",
        _ => "Refused.",
    };
}
