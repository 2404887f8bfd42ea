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

    public static readonly string[] TenLanguages = ["en", "fr", "de", "es", "it", "pt", "nl", "pl", "ja", "zh"];

    [Fact]
    public void Every_language_file_says_every_string_english_says_and_no_other_in_every_section()
    {
        Assert.Superset(TenLanguages.ToHashSet(), Widget.Languages.ToHashSet());
        var english = KeysOf(File("en")).Where(k => !k.StartsWith("widget.count.", StringComparison.Ordinal)).Order().ToList();
        Assert.Contains("email.newComment", english);
        Assert.Contains("reader.bodyTooLong", english);
        Assert.Contains("pages.invalidLink", english);
        foreach (var lang in Widget.Languages)
        {
            var all = KeysOf(File(lang)).ToList();
            var keys = all.Where(k => !k.StartsWith("widget.count.", StringComparison.Ordinal)).Order().ToList();
            Assert.True(english.SequenceEqual(keys), $"{lang}.json: missing [{string.Join(", ", english.Except(keys))}], extra [{string.Join(", ", keys.Except(english))}]");
            Assert.All(all, key => Assert.False(string.IsNullOrWhiteSpace(key.Split('.').Aggregate(File(lang), (e, k) => e.GetProperty(k)).ToString()), $"{lang}.{key} is empty"));
            // The count's forms: "none" for zero, then exactly the CLDR categories of the language.
            var forms = all.Where(k => k.StartsWith("widget.count.", StringComparison.Ordinal)).Select(k => k["widget.count.".Length..]).Order();
            Assert.True(forms.SequenceEqual(PluralRules.Categories(lang).Append("none").Order()), $"{lang}.json widget.count has [{string.Join(", ", forms)}], CLDR wants none + [{string.Join(", ", PluralRules.Categories(lang))}]");
            Assert.All(PluralRules.Categories(lang), c => Assert.Contains("{n}", File(lang).GetProperty("widget").GetProperty("count").GetProperty(c).GetString()));
        }
    }

    [Fact]
    public void The_count_script_carries_every_language_and_its_words_only()
    {
        var script = Encoding.UTF8.GetString(Widget.Find("count.js")!.Body);
        AssertSafeBundle(script);
        foreach (var lang in Widget.Languages)
            Assert.Contains($"\"{lang}\":{{\"count\":{{", script);
        Assert.DoesNotContain("\"loading\"", script);
    }

    [Theory]
    [InlineData(null, "fr")]
    [InlineData("de", "de")]
    [InlineData("de-AT", "de")]
    [InlineData("pl", "pl")]
    [InlineData("zh-CN", "zh")]
    [InlineData("zh-Hans", "zh")]
    [InlineData("zh", "zh")]
    [InlineData("pt_BR", "pt")]
    [InlineData("en", "en")]
    [InlineData("xx-unknown", "en")]
    public void The_widget_script_carries_english_and_the_asked_language_only(string? lang, string carried)
    {
        var script = Encoding.UTF8.GetString(Widget.Find("comments.js", lang)!.Body);
        AssertSafeBundle(script);
        foreach (var other in Widget.Languages)
        {
            if (other == "en" || other == carried)
                Assert.Contains($"\"{other}\":{{\"count\":{{", script);
            else
                Assert.DoesNotContain($"\"{other}\":{{", script);
        }
    }

    private static void AssertSafeBundle(string script)
    {
        Assert.StartsWith("(() => {", script);
        Assert.Contains("\"use strict\";", script);
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
        Assert.Contains("const SETTINGS = {\"retentionDays\":14,", script);
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
