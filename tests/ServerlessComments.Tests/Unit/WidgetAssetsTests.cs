using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessComments.Web.Widget;
using ServerlessComments.Texts;
using ServerlessComments.Processing;

namespace ServerlessComments.Tests.Unit;

public sealed class WidgetAssetsTests
{
    private static readonly WidgetAssets Widget = new(Options.Create(new PrivacyOptions()));

    private static IEnumerable<string> KeysOf(JsonElement element, string prefix = "") =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().SelectMany(p => KeysOf(p.Value, prefix + p.Name + "."))
            : [prefix.TrimEnd('.')];

    /// <summary>A whole strings file: the widget's, the validation messages', the emails' and the pages' strings.</summary>
    private static JsonElement File(string lang)
    {
        using var stream = typeof(Strings).Assembly.GetManifestResourceStream($"strings/{lang}.json")!;
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    [Fact]
    public void Every_language_file_says_every_string_english_says_and_no_other_in_every_section()
    {
        Assert.Contains("en", Widget.Languages);
        Assert.Contains("fr", Widget.Languages);
        var english = KeysOf(File("en")).Order().ToList();
        Assert.Contains("widget.count.none", english);
        Assert.Contains("email.newComment", english);
        Assert.Contains("reader.bodyTooLong", english);
        Assert.Contains("pages.invalidLink", english);
        foreach (var lang in Widget.Languages)
        {
            var keys = KeysOf(File(lang)).Order().ToList();
            Assert.True(english.SequenceEqual(keys), $"{lang}.json: missing [{string.Join(", ", english.Except(keys))}], extra [{string.Join(", ", keys.Except(english))}]");
            Assert.All(keys, key => Assert.False(string.IsNullOrWhiteSpace(key.Split('.').Aggregate(File(lang), (e, k) => e.GetProperty(k)).ToString()), $"{lang}.{key} is empty"));
        }
    }

    [Theory]
    [InlineData("comments.js")]
    [InlineData("count.js")]
    public void Each_script_is_bundled_and_carries_every_language(string file)
    {
        var script = Encoding.UTF8.GetString(Widget.Find(file)!.Body);
        Assert.StartsWith("(() => {", script);
        Assert.Contains("\"use strict\";", script);
        foreach (var lang in Widget.Languages)
            Assert.Contains($"\"{lang}\":{{", script);
        ScriptModulesTests.AssertBundled(script);
        // Safe by construction: nothing in the widget parses a string as HTML or code.
        foreach (var sink in ScriptModulesTests.HtmlSinks)
            Assert.DoesNotContain(sink, script);
    }

    [Fact]
    public void The_privacy_notice_states_the_configured_retention()
    {
        var widget = new WidgetAssets(Options.Create(new PrivacyOptions { RetentionDays = 14 }));
        var script = Encoding.UTF8.GetString(widget.Find("comments.js")!.Body);
        Assert.Contains("const SETTINGS = {\"retentionDays\":14};", script);
        Assert.All(Widget.Languages, lang => Assert.Contains("{days}", File(lang).GetProperty("widget").GetProperty("spamNotice").GetString()));
    }

    [Fact]
    public void Unknown_files_are_not_served()
    {
        Assert.Null(Widget.Find("common.js"));
        Assert.Null(Widget.Find("../appsettings.json"));
        Assert.Null(Widget.Find("strings/en.json"));
    }
}
