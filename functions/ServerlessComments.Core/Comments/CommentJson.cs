using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace ServerlessComments.Comments;

/// <summary>
/// A closed set of words as an enum, written and read as its camelCase word ("approve"), exactly:
/// the wire keeps its words, and anything else (another case, a number, an unknown word) fails to
/// read, which the API reports on its field.
/// </summary>
public sealed class WordEnumConverter<T> : System.Text.Json.Serialization.JsonConverter<T> where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByWord = Enum.GetValues<T>().ToDictionary(Word, StringComparer.Ordinal);

    /// <summary>The enum's word, as it is on the wire.</summary>
    public static string Word(T value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>The value a wire word names (exactly, in its case), or null.</summary>
    public static T? Parse(string? word) => word is not null && ByWord.TryGetValue(word, out var value) ? value : null;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Parse(reader.GetString()) is { } value
            ? value
            : throw new JsonException($"Expected one of {string.Join(", ", ByWord.Keys)}.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Word(value));
}

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
