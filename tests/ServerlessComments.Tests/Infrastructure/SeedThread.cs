using System.Text.Json;

namespace ServerlessComments.Tests.Infrastructure;

/// <summary>The reference page's thread, from ../shared/fixtures/seed-thread.json.</summary>
public sealed record SeedThread(SeedThread.SeedPage Page, List<SeedThread.SeedComment> Comments)
{
    public sealed record SeedComment(string Key, string? ParentKey, string Author, string Email, string? Website, string Body);
    public sealed record SeedPage(string Thread, string Url, string Title);

    public static SeedThread Load() =>
        JsonSerializer.Deserialize<SeedThread>(File.ReadAllText(SharedFiles.Path("fixtures/seed-thread.json")), JsonSerializerOptions.Web)!;
}
