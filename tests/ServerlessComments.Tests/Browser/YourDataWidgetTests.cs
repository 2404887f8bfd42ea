using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ServerlessComments.Tests.Browser;

/// <summary>"My comments and my data" in the embedded widget, in Chromium, by keyboard alone:
/// the disclosure opens, the one field takes the address, Enter sends it, and the link arrives.</summary>
[Collection(StorageCollection.Name)]
public sealed class YourDataWidgetTests(AzuriteFixture azurite, BrowserFixture browser)
{
    [Fact]
    public async Task A_reader_asks_for_their_data_link_with_the_keyboard_alone()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var blog = await BlogServer.StartAsync();
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Cors__AllowedOrigins"] = blog.Origin.ToString().TrimEnd('/'),
            ["Admin__ApiKey"] = Api.AdminKey,
            ["SendGrid__ApiKey"] = "SG.test-key",
            ["SendGrid__Host"] = sendGrid.BaseUrl.ToString().TrimEnd('/'),
            ["Notifications__LinkSecret"] = "a-link-secret-of-at-least-32-characters!",
            ["Moderation__Mode"] = "none",
        });
        blog.Html = BlogServer.PageWithWidget(host.BaseAddress, "/kb/", "fr");
        await host.StoredAsync(await host.PostAcceptedAsync(Api.Comment("/kb/", "Bonjour", author: "Rita", email: "rita@example.com")));
        await using var tab = await WatchedPage.OpenAsync(browser);
        var page = tab.Page;

        await page.GotoAsync(blog.Origin + "kb/");
        var summary = page.Locator("[data-comments] details.sc-md > summary");
        await Expect(summary).ToHaveTextAsync("Mes commentaires et mes données");
        for (var i = 0; i < 40 && !await summary.EvaluateAsync<bool>("s => s === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.True(await summary.EvaluateAsync<bool>("s => s === document.activeElement"), "the summary is reachable by Tab");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("rita@example.com");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("[data-comments] details.sc-md [role=status]")).ToContainTextAsync("un lien arrive");
        await Eventually.HoldsAsync(() => Task.FromResult(sendGrid.To("rita@example.com").Any(e => e.Subject.Contains("vos données", StringComparison.Ordinal))), "the data link email");

        // Open, with its answer said, the disclosure passes axe-core's rules, light and dark.
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            var axe = await page.Locator("[data-comments] details.sc-md").RunAxe();
            Assert.True(axe.Violations.Length == 0, $"axe, {scheme}: " + string.Join("; ", axe.Violations.Select(v => v.Id + ": " + v.Help)));
        }
    }
}
