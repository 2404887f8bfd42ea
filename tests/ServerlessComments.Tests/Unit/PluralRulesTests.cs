using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ServerlessComments.Testing;
using ServerlessComments.Texts;

namespace ServerlessComments.Tests.Unit;

/// <summary>The server's plural choice against one nobody here wrote: the ICU in Node
/// (<c>Intl.PluralRules</c>, as in the readers' browsers).</summary>
public sealed class PluralRulesTests
{
    private static readonly long[] Counts = [.. Enumerable.Range(0, 2001).Select(i => (long)i),
        100_000, 999_999, 1_000_000, 1_000_001, 2_000_000, 3_500_000, 10_000_000, 1_000_000_000];

    [Fact]
    public async Task Every_language_picks_the_category_icu_picks_and_has_the_categories_icu_lists()
    {
        var langs = PluralRules.Languages.ToArray();
        var script = $$"""
            const langs = {{JsonSerializer.Serialize(langs)}}, counts = {{JsonSerializer.Serialize(Counts)}};
            const out = {};
            for (const l of langs) {
              const r = new Intl.PluralRules(l);
              out[l] = { categories: r.resolvedOptions().pluralCategories, picks: counts.map(n => r.select(n)) };
            }
            console.log(JSON.stringify(out));
            """;
        var lines = new ConcurrentQueue<string>();
        var start = new ProcessStartInfo("node") { ArgumentList = { "-e", script } };
        using var node = ChildProcess.Start(start, lines);
        await node.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, node.ExitCode);
        var icu = JsonDocument.Parse(string.Join("", lines)).RootElement;
        foreach (var lang in langs)
        {
            var expected = icu.GetProperty(lang);
            Assert.Equal(expected.GetProperty("categories").EnumerateArray().Select(c => c.GetString()).Order(), PluralRules.Categories(lang).Order());
            var picks = expected.GetProperty("picks").EnumerateArray().Select(c => c.GetString()).ToArray();
            for (var i = 0; i < Counts.Length; i++)
                Assert.True(picks[i] == PluralRules.Select(lang, Counts[i]), $"{lang} {Counts[i]}: ICU says {picks[i]}, the server {PluralRules.Select(lang, Counts[i])}");
        }
    }

    [Theory]
    [InlineData("pl", 0, "Brak komentarzy")]
    [InlineData("pl", 1, "1 komentarz")]
    [InlineData("pl", 2, "2 komentarze")]
    [InlineData("pl", 5, "5 komentarzy")]
    [InlineData("pl", 12, "12 komentarzy")]
    [InlineData("pl", 22, "22 komentarze")]
    [InlineData("ja", 1, "1件のコメント")]
    [InlineData("zh-CN", 3, "3 条评论")]
    [InlineData("es", 1_000_000, "1.000.000 de comentarios")]
    [InlineData("es", 2, "2 comentarios")]
    [InlineData("de-AT", 1, "1 Kommentar")]
    [InlineData("ru", 5, "5 Comments")]
    public void A_count_is_written_in_the_form_its_language_needs(string lang, long count, string expected) =>
        Assert.Equal(expected, Strings.For(lang).Count("widget", "count", count));
}
