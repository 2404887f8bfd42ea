using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessComments.Formatting;

/// <summary>
/// One node of a formatted comment: a text, or an element of <see cref="CommentMarkdown.AllowedTags"/>
/// with its allowed attributes and children. The widget builds it with createElement and text
/// nodes, never as HTML. On the wire it is as small as it can be read back: a text is a JSON
/// string, an element an array <c>["tag", {"attribute": "value"}?, child, …]</c> (the object only
/// when it has attributes), so <c>*hi* you</c> is <c>[["p",["em","hi"]," you"]]</c>.
/// </summary>
[JsonConverter(typeof(MarkupNodeConverter))]
public sealed record MarkupNode
{
    public string? Text { get; init; }
    public string? Tag { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];
    public IReadOnlyList<MarkupNode> Children { get; init; } = [];

    public static MarkupNode OfText(string text) => new() { Text = text };

    public static MarkupNode Element(string tag, IReadOnlyList<KeyValuePair<string, string>> attributes, IReadOnlyList<MarkupNode> children) =>
        new() { Tag = tag, Attributes = attributes, Children = children };

    public bool Equals(MarkupNode? other) =>
        other is not null && Text == other.Text && Tag == other.Tag &&
        Attributes.SequenceEqual(other.Attributes) && Children.SequenceEqual(other.Children);

    public override int GetHashCode() => HashCode.Combine(Text, Tag, Children.Count);
}

/// <summary>Reads and writes <see cref="MarkupNode"/> in its compact array form.</summary>
public sealed class MarkupNodeConverter : JsonConverter<MarkupNode>
{
    public override MarkupNode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return MarkupNode.OfText(reader.GetString()!);
        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.String)
            throw new JsonException("A formatted node is a string or an array that starts with its tag.");
        var tag = reader.GetString()!;
        var attributes = new List<KeyValuePair<string, string>>();
        var children = new List<MarkupNode>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject && children.Count == 0 && attributes.Count == 0)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    attributes.Add(new(name, reader.GetString() ?? throw new JsonException("An attribute's value is a string.")));
                }
                continue;
            }
            children.Add(Read(ref reader, typeToConvert, options));
        }
        return MarkupNode.Element(tag, attributes, children);
    }

    public override void Write(Utf8JsonWriter writer, MarkupNode value, JsonSerializerOptions options)
    {
        if (value.Tag is null)
        {
            writer.WriteStringValue(value.Text);
            return;
        }
        writer.WriteStartArray();
        writer.WriteStringValue(value.Tag);
        if (value.Attributes.Count > 0)
        {
            writer.WriteStartObject();
            foreach (var (name, text) in value.Attributes)
                writer.WriteString(name, text);
            writer.WriteEndObject();
        }
        foreach (var child in value.Children)
            Write(writer, child, options);
        writer.WriteEndArray();
    }
}
