using Microsoft.Playwright;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ServerlessComments.Tests.Browser;

/// <summary>A reader's second thoughts in the embedded widget, in Chromium: Edit and Delete on
/// their own comment, by keyboard; the buttons go when the window closes, and a widget that
/// still thinks it is open is refused by the server.</summary>
[Collection(StorageCollection.Name)]
public sealed class ReaderEditWidgetTests(AzuriteFixture azurite, BrowserFixture browser)
{
    private async Task<(SelfHost Host, BlogServer Blog, WatchedPage Tab)> EmbedAsync(string thread, string window)
    {
        var blog = await BlogServer.StartAsync();
        var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Cors__AllowedOrigins"] = blog.Origin.ToString().TrimEnd('/'),
            ["Moderation__Mode"] = "none",
            ["Spam__FloodSeconds"] = "0",
            ["Comments__EditWindowMinutes"] = window,
            ["Notifications__LinkSecret"] = "reader-edit-widget-tests-link-secret-0123",
        });
        blog.Html = BlogServer.PageWithWidget(host.BaseAddress, thread, "en");
        return (host, blog, await WatchedPage.OpenAsync(browser));
    }

    private static async Task PostAsync(IPage page, string body)
    {
        var widget = page.Locator("[data-comments]");
        await widget.Locator("form.sc-f [name=body]").FillAsync(body);
        await widget.Locator("form.sc-f [name=author]").FillAsync("Nina");
        await widget.Locator("form.sc-f [name=email]").FillAsync("nina@example.com");
        await widget.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        await Expect(widget.Locator(".sc-s")).ToHaveTextAsync("Your comment is published.", new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task A_reader_edits_then_deletes_their_comment_with_the_keyboard()
    {
        var (host, blog, tab) = await EmbedAsync("/edit-kb/", "15");
        await using var _ = host;
        await using var __ = blog;
        await using var ___ = tab;
        var page = tab.Page;
        await page.GotoAsync(blog.Origin + "edit-kb/");
        await PostAsync(page, "Teh first words");
        var widget = page.Locator("[data-comments]");
        var mine = widget.Locator("article.sc-c").Filter(new() { HasText = "first words" });

        // Edit, by keyboard: the button opens a labelled text box with the text, Enter in Save sends it.
        var edit = mine.GetByRole(AriaRole.Button, new() { Name = "Edit" });
        await edit.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(edit).ToHaveAttributeAsync("aria-expanded", "true");
        var box = mine.GetByLabel("Edit your comment");
        await Expect(box).ToBeFocusedAsync();
        await Expect(box).ToHaveValueAsync("Teh first words");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("The first words, <b>corrected</b>");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Expect(widget.Locator(".sc-s")).ToHaveTextAsync("Change saved: it shows once it has been checked.");
        await Expect(edit).ToBeFocusedAsync();
        await Expect(mine.Locator(".sc-b")).ToHaveTextAsync("The first words, <b>corrected</b>");
        Assert.Equal(0, await mine.Locator(".sc-b b").CountAsync());

        // What everyone sees after a reload: the new text, marked edited.
        await Eventually.HoldsAsync(async () => (await host.GetThreadAsync("/edit-kb/")).GetRawText().Contains("corrected"), "the edit to be published");
        await page.ReloadAsync();
        mine = widget.Locator("article.sc-c").Filter(new() { HasText = "corrected" });
        await Expect(mine.Locator(".sc-ed")).ToHaveTextAsync("edited");

        // Delete, by keyboard: the first Enter asks, the second deletes.
        var delete = mine.GetByRole(AriaRole.Button, new() { Name = "Delete" });
        await delete.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(delete).ToHaveTextAsync("Delete for good?");
        await page.Keyboard.PressAsync("Enter");
        await Expect(widget.Locator(".sc-s")).ToHaveTextAsync("Your comment was deleted.");
        await Expect(widget.Locator("article.sc-c")).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Expect(widget.Locator("h2")).ToHaveTextAsync("No comments");
        Assert.DoesNotContain("corrected", (await host.GetThreadAsync("/edit-kb/")).GetRawText());
    }

    [Fact]
    public async Task The_buttons_go_when_the_window_closes_and_the_server_refuses_a_widget_that_thinks_it_is_open()
    {
        // A window of 6 seconds.
        var (host, blog, tab) = await EmbedAsync("/edit-late/", "0.1");
        await using var _ = host;
        await using var __ = blog;
        await using var ___ = tab;
        var page = tab.Page;
        await page.GotoAsync(blog.Origin + "edit-late/");
        await PostAsync(page, "Words before the window closes");
        var mine = page.Locator("[data-comments] article.sc-c");
        var edit = mine.GetByRole(AriaRole.Button, new() { Name = "Edit" });
        await Expect(edit).ToHaveCountAsync(1);
        var kept = await page.EvaluateAsync<string>("() => localStorage.getItem('serverless-comments:edits')");
        await Expect(edit).ToHaveCountAsync(0, new() { Timeout = 15_000 });

        // The widget is told the window is still open (its stored end moved on): the server says no.
        await page.EvaluateAsync("""
            kept => {
              const all = JSON.parse(kept);
              for (const id of Object.keys(all)) all[id].until = new Date(Date.now() + 3600000).toISOString();
              localStorage.setItem("serverless-comments:edits", JSON.stringify(all));
            }
            """, kept);
        await page.ReloadAsync();
        edit = mine.GetByRole(AriaRole.Button, new() { Name = "Edit" });
        await edit.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync(" and after");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-comments] .sc-s")).ToHaveTextAsync("This comment can no longer be changed.");
        await Expect(edit).ToHaveCountAsync(0);
        Assert.Contains("Words before the window closes\"", (await host.GetThreadAsync("/edit-late/")).GetRawText());
    }
}
