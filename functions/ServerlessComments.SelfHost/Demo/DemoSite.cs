using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Adapters.Account;
using ServerlessComments.Comments;
using ServerlessComments.Owner;
using ServerlessComments.Web;
using ServerlessComments.Web.Widget;

namespace ServerlessComments.SelfHost.Demo;

/// <summary><c>Demo__Enabled=true</c> (set by run.sh): serve a demo blog page at <c>/</c> and
/// load its thread on first run. Off by default, so a server never shows demo content.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";
    public bool Enabled { get; set; }
}

/// <summary>The reference page's thread, shipped with the self-host as demo data.</summary>
public sealed record DemoThread(DemoThread.Page PageInfo, IReadOnlyList<DemoThread.Comment> Comments)
{
    public sealed record Page(string Thread, string Url, string Title, string Lang);
    public sealed record Comment(string Key, string? ParentKey, string Author, string Email, string? Website, string Body, DateTimeOffset PostedAt);

    private sealed record File(Page Page, List<Comment> Comments);

    public static DemoThread Load()
    {
        var file = JsonSerializer.Deserialize<File>(Resource("seed-thread.json"), JsonSerializerOptions.Web)!;
        return new DemoThread(file.Page, file.Comments);
    }

    public static string Resource(string name)
    {
        using var stream = typeof(DemoThread).Assembly.GetManifestResourceStream("demo/" + name)
            ?? throw new InvalidOperationException($"The demo resource {name} is missing from the build.");
        return new StreamReader(stream).ReadToEnd();
    }
}

public static class DemoSite
{
    public static IServiceCollection AddDemoSite(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.Section));
        if (configuration.GetSection(DemoOptions.Section).Get<DemoOptions>()?.Enabled == true)
            services.AddHostedService<DemoSeeder>();
        return services;
    }

    /// <summary><c>/</c> (and the article's own path): the article with the widget;
    /// <c>/posts/</c>: a list of posts with the count-only script. <c>?lang=en</c> switches the
    /// page's language, and with it the widget's.</summary>
    public static IEndpointRouteBuilder MapDemoSite(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled)
            return app;
        var thread = DemoThread.Load().PageInfo.Thread;
        var languages = app.ServiceProvider.GetRequiredService<WidgetAssets>().Languages;
        string LanguageOf(HttpRequest request) =>
            request.Query["lang"].ToString() is { } lang && languages.Contains(lang) ? lang : "fr";

        var article = DemoThread.Resource("article.html");
        var posts = DemoThread.Resource("posts.html");

        IResult Article(HttpRequest request)
        {
            var lang = LanguageOf(request);
            // The reference page's own heading on the French page; the widget's default otherwise.
            return Page(article, lang, lang == "fr" ? "Partage ta réaction" : "");
        }
        app.MapGet("/", Article);
        app.MapGet(thread, Article);
        app.MapGet("/posts/", (HttpRequest request) => Page(posts, LanguageOf(request), ""));
        return app;
    }

    private static IResult Page(string template, string lang, string formHeading) =>
        Results.Content(template
            .Replace("{{lang}}", WebUtility.HtmlEncode(lang), StringComparison.Ordinal)
            .Replace("{{formHeading}}", WebUtility.HtmlEncode(formHeading), StringComparison.Ordinal), "text/html; charset=utf-8");
}

/// <summary>
/// Loads the demo thread on first run (when it has no published comment) through the normal
/// pipeline: each comment is accepted as any other (validation, parent check, duplicate guard,
/// queue), the queue-triggered processor checks and stores it, and any held by moderation is
/// approved through the owner's decisions. Parents go first, because a reply is accepted only
/// under a stored comment.
/// </summary>
public sealed class DemoSeeder(StorageInitializer storage, ICommentStore store, CommentAcceptance acceptance, OwnerDecisions owner, ILogger<DemoSeeder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = DemoThread.Load();
        try
        {
            await storage.Ready.WaitAsync(stoppingToken);
            await foreach (var _ in store.PublishedInAsync(demo.PageInfo.Thread, stoppingToken))
            {
                logger.LogInformation("Demo thread {Thread} already has published comments: not loaded again", demo.PageInfo.Thread);
                return;
            }
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            await LoadAsync(demo, demo.Comments.Where(c => c.ParentKey is null), ids, stoppingToken);
            await LoadAsync(demo, demo.Comments.Where(c => c.ParentKey is not null), ids, stoppingToken);
            logger.LogInformation("Demo thread {Thread} loaded: {Count} comments", demo.PageInfo.Thread, ids.Count);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "The demo thread could not be loaded");
        }
    }

    private async Task LoadAsync(DemoThread demo, IEnumerable<DemoThread.Comment> comments, Dictionary<string, string> ids, CancellationToken cancellationToken)
    {
        var queued = new List<string>();
        foreach (var seed in comments)
        {
            var form = new CommentForm
            {
                Thread = demo.PageInfo.Thread,
                PageUrl = demo.PageInfo.Url,
                PageTitle = demo.PageInfo.Title,
                ParentId = seed.ParentKey is null ? null : ids[seed.ParentKey],
                Author = seed.Author,
                Email = seed.Email,
                Website = seed.Website,
                Body = seed.Body,
                Lang = demo.PageInfo.Lang,
            };
            // The comment keeps its original date: its id and time are those of the seed.
            var outcome = await acceptance.AcceptAsync(form, ClientInfo.None, CommentSource.Owner, cancellationToken, seed.PostedAt);
            if (outcome is not AcceptOutcome.Accepted accepted)
                throw new InvalidOperationException($"Demo comment {seed.Key} was not accepted: {outcome}");
            ids[seed.Key] = accepted.Comment.Id;
            queued.Add(accepted.Comment.Id);
        }

        foreach (var id in queued)
        {
            var stored = await WaitForAsync(demo.PageInfo.Thread, id, cancellationToken);
            if (stored.Status == CommentStatus.Pending)
                await owner.DecideAsync(id, OwnerDecisions.Approve, cancellationToken);
        }
    }

    private async Task<StoredComment> WaitForAsync(string thread, string id, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (true)
        {
            if (await store.GetAsync(thread, id, cancellationToken) is { } stored)
                return stored;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Demo comment {id} was not processed within 2 minutes; is the queue listener running?");
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }
}
