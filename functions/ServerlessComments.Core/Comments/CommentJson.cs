using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace ServerlessComments.Comments;

public static class CommentJson
{
    /// <summary>camelCase JSON, as the web API speaks it; used for queue messages and thread
    /// views too. Readers' names and texts are mostly not ASCII: they are written as they are,
    /// not as \u escapes (which also makes a queue message up to six times smaller).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}
