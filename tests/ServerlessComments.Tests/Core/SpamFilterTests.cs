using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Moderation.Filter;
using ServerlessComments.Owner;

namespace ServerlessComments.Tests.Core;

/// <summary>The learning filter in the spam chain, over in-memory ports, with the starting model
/// built from the corpora the core ships.</summary>
public sealed class SpamFilterTests
{
    private const string ClearSpam = "Buy cheap viagra online without prescription!!! Best casino bonus and free spins, visit http://cheap-pills-casino.example/buy http://casino-bonus.example";
    private const string Ham = "Merci pour cet article, j'ai testé la recette de pain ce week-end et elle a très bien marché, même avec mon vieux four.";

    private static CoreWorld World(string mode = "none")
    {
        var world = new CoreWorld();
        world.FilterSettings.Filter = true;
        world.ModerationSettings.Mode = mode;
        return world;
    }

    private static StoredComment Stored(CoreWorld world, AcceptOutcome outcome) => world.Store.All.Single(c => c.Id == CoreWorld.Id(outcome));

    private static bool OwnerEmailed(CoreWorld world, string id) =>
        world.Jobs.Emails.Any(e => e.Job.Kind == NotificationJob.Owner && e.Job.CommentId == id);

    [Fact]
    public async Task A_clear_spam_is_marked_spam_with_its_probability_and_top_features_and_sends_the_owner_nothing()
    {
        var world = World();
        var stored = Stored(world, await world.PostAsync(CoreWorld.Form(body: ClearSpam, author: "Casino Bonus", email: "promo@example.com")));
        Assert.Equal(CommentStatus.Spam, stored.Status);
        var reason = Assert.Single(stored.Reasons, r => r.StartsWith("filter: spam ", StringComparison.Ordinal));
        Assert.Matches(@"^filter: spam (0\.9[89]|1\.00): .+, .+", reason);
        Assert.False(OwnerEmailed(world, stored.Id));
    }

    [Fact]
    public async Task A_comment_between_the_thresholds_is_held_and_the_owner_told()
    {
        var world = World();
        const string borderline = "Nice post, check out my page http://my-deals.example";
        var score = (await world.Filter.ScoreAsync(new CommentSubmission { Id = "x", Thread = "/post/", Author = "Ann", Email = "", Body = borderline, CreatedAt = world.Clock.GetUtcNow() }, default))!;
        // Thresholds around this comment's score: whatever the corpus makes of it, it is borderline.
        world.FilterSettings.FilterHoldAbove = score.Probability - 0.01;
        world.FilterSettings.FilterSpamAbove = score.Probability + 0.01;
        var stored = Stored(world, await world.PostAsync(CoreWorld.Form(body: borderline)));
        Assert.Equal(CommentStatus.Pending, stored.Status);
        Assert.Contains(score.Reason, stored.Reasons);
        Assert.True(OwnerEmailed(world, stored.Id));
    }

    [Fact]
    public async Task Ham_is_published_in_mode_none_and_held_as_a_first_comment_with_the_filters_score_for_the_owner()
    {
        var none = World("none");
        var published = Stored(none, await none.PostAsync(CoreWorld.Form(body: Ham, author: "Camille")));
        Assert.Equal(CommentStatus.Published, published.Status);
        Assert.Equal(["passed every check"], published.Reasons);

        var firstTime = World("first-time");
        var held = Stored(firstTime, await firstTime.PostAsync(CoreWorld.Form(body: Ham, author: "Camille")));
        Assert.Equal(CommentStatus.Pending, held.Status);
        Assert.Contains("first comment from this email address and name", held.Reasons);
        Assert.Contains(held.Reasons, r => r.StartsWith("filter: spam 0.", StringComparison.Ordinal));
    }

    // Written for this test, in no corpus: a reader pointing to documentation or to their own write-up
    // is the commonest honest link on a blog, and must not be held for it.
    [Theory]
    [InlineData("Nora", "Thanks for the clear explanation. The Node.js docs have a section on exactly this event loop phase: https://nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick")]
    [InlineData("Sam P.", "I tried the same thing on a cheaper board and wrote down what was different, in case it saves someone an afternoon: https://sampotter.me/notes/esp32-deep-sleep")]
    [InlineData("Aurélie", "Merci ! Pour compléter, la fiche de l'ANSES sur le sujet donne les doses recommandées : https://www.anses.fr/fr/content/vitamine-d")]
    public async Task An_honest_comment_with_one_link_is_published_in_mode_none(string author, string body)
    {
        var world = World("none");
        var stored = Stored(world, await world.PostAsync(CoreWorld.Form(body: body, author: author)));
        Assert.Equal(CommentStatus.Published, stored.Status);
    }

    [Fact]
    public async Task The_owner_marking_spam_changes_the_next_verdict_on_similar_text_after_retraining_and_the_reset_undoes_it()
    {
        var world = World();
        // A spam campaign the corpora never saw, in words of its own.
        string Campaign(int i) => $"Le thé Kombrelia numéro {i} accompagne très bien le petit déjeuner, goûtez le Kombrelia, le Kombrelia est délicieux.";
        var first = Stored(world, await world.PostAsync(CoreWorld.Form(body: Campaign(1), email: "a1@example.com")));
        Assert.Equal(CommentStatus.Published, first.Status);

        foreach (var i in new[] { 2, 3, 4 })
        {
            var id = CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: Campaign(i), email: $"a{i}@example.com")));
            await world.Owner.DecideAsync(id, OwnerDecisions.Spam, default);
        }
        await world.Owner.DecideAsync(first.Id, OwnerDecisions.Spam, default);
        // Not yet retrained: the model in use is the same.
        Assert.Equal(CommentStatus.Published, Stored(world, await world.PostAsync(CoreWorld.Form(body: Campaign(5), email: "a5@example.com"))).Status);

        Assert.Equal(4, await world.Filter.RetrainAsync(default));
        var next = Stored(world, await world.PostAsync(CoreWorld.Form(body: Campaign(6), email: "a6@example.com")));
        Assert.NotEqual(CommentStatus.Published, next.Status);
        Assert.Contains(next.Reasons, r => r.StartsWith("filter: spam", StringComparison.Ordinal));
        var status = await world.Filter.StatusAsync(default);
        Assert.Equal((4, 0, 4), (status.SpamExamples, status.HamExamples, status.LearntExamples));

        await world.Filter.ResetAsync(default);
        Assert.Equal((0, 0, 0), ((await world.Filter.StatusAsync(default)).SpamExamples, (await world.Filter.StatusAsync(default)).HamExamples, (await world.Filter.StatusAsync(default)).LearntExamples));
        Assert.Equal(CommentStatus.Published, Stored(world, await world.PostAsync(CoreWorld.Form(body: Campaign(7), email: "a7@example.com"))).Status);
    }

    [Fact]
    public async Task Every_owner_decision_teaches_but_holding_and_deleting_spam_in_bulk_do_not()
    {
        var world = World("all");
        async Task<string> Post(string body) => CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: body, email: $"{Guid.NewGuid():N}@example.com")));
        var (approved, hammed, spammed, deletedHeld, held, bulk1, bulk2, published) =
            (await Post("one"), await Post("two"), await Post("three"), await Post("four"), await Post("five"), await Post("six"), await Post("seven"), await Post("eight"));

        await world.Owner.DecideAsync(approved, OwnerDecisions.Approve, default);
        await world.Owner.DecideAsync(hammed, OwnerDecisions.Ham, default);
        await world.Owner.DecideAsync(spammed, OwnerDecisions.Spam, default);
        await world.Owner.DecideAsync(deletedHeld, OwnerDecisions.Delete, default);
        await world.Owner.DecideAsync(held, OwnerDecisions.Hold, default);
        await world.Owner.DecideAllAsync([bulk1, bulk2], OwnerDecisions.Spam, default);
        await world.Owner.DecideAsync(published, OwnerDecisions.Approve, default);
        var examples = (await world.Learning.ListExamplesAsync(default)).ToDictionary(e => e.CommentId, e => e.IsSpam);
        Assert.Equal(new Dictionary<string, bool>
        {
            [approved] = false, [hammed] = false, [spammed] = true, [deletedHeld] = true, [bulk1] = true, [bulk2] = true, [published] = false,
        }, examples);

        // Deleting a published comment teaches nothing; emptying the spam folder neither.
        await world.Owner.DecideAsync(published, OwnerDecisions.Delete, default);
        await world.Owner.DeleteSpamAsync(null, default);
        Assert.Equal(7, (await world.Learning.ListExamplesAsync(default)).Count);
        // A later decision on the same comment replaces the earlier one.
        await world.Owner.DecideAsync(approved, OwnerDecisions.Spam, default);
        var now = await world.Learning.ListExamplesAsync(default);
        Assert.Equal(7, now.Count);
        Assert.True(now.Single(e => e.CommentId == approved).IsSpam);
        Assert.DoesNotContain(now, e => e.CommentId == held);
    }

    [Theory]
    [InlineData(PersonalData.EraseMode.Delete)]
    [InlineData(PersonalData.EraseMode.Anonymise)]
    public async Task Erasing_a_readers_data_forgets_the_examples_made_of_their_comments_and_the_next_retraining_drops_them(string mode)
    {
        var world = World("all");
        var theirs = CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "Mes mots à moi", author: "Zoé", email: "zoe@example.com")));
        var other = CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "Other words", author: "Ann", email: "ann@example.com")));
        await world.Owner.DecideAsync(theirs, OwnerDecisions.Approve, default);
        await world.Owner.DecideAsync(other, OwnerDecisions.Spam, default);
        Assert.Equal(2, await world.Filter.RetrainAsync(default));

        await world.PersonalData.EraseAsync("zoe@example.com", mode, keepText: true, "fr", default);
        Assert.Equal([other], (await world.Learning.ListExamplesAsync(default)).Select(e => e.CommentId));
        Assert.Equal(1, await world.Filter.RetrainAsync(default));
    }

    [Fact]
    public async Task A_model_stored_by_the_first_version_of_the_filter_is_not_used_and_the_next_retraining_replaces_it()
    {
        var world = World();
        var comment = new CommentSubmission { Id = "x", Thread = "/post/", Author = "Ann", Email = "", Body = Ham, CreatedAt = world.Clock.GetUtcNow() };
        var starting = (await world.Filter.ScoreAsync(comment, default))!.Probability;
        await world.Owner.DecideAsync(CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: ClearSpam))), OwnerDecisions.Spam, default);
        // What the Naive Bayes version stored for the same one example: counts, no "Model".
        var counts = Convert.ToBase64String("""{"documents":[0,1],"features":{"w:casino":[0,1]}}"""u8);
        var signature = $"1:{world.Clock.GetUtcNow().UtcTicks}:1";
        await world.Learning.SaveModelAsync(System.Text.Encoding.UTF8.GetBytes(
            $$"""{"Signature":"{{signature}}","Examples":1,"TrainedAt":"2026-12-01T00:00:00+00:00","Counts":"{{counts}}"}"""), default);
        world.Clock.Advance(SpamFilter.Freshness);

        Assert.Equal(starting, (await world.Filter.ScoreAsync(comment, default))!.Probability);
        Assert.Equal(0, (await world.Filter.StatusAsync(default)).LearntExamples);
        var before = (await world.Learning.ReadModelAsync(null, default))!.Version;
        Assert.Equal(1, await world.Filter.RetrainAsync(default));
        Assert.NotEqual(before, (await world.Learning.ReadModelAsync(null, default))!.Version);
        Assert.Equal(1, (await world.Filter.StatusAsync(default)).LearntExamples);
    }

    [Fact]
    public async Task Off_the_filter_judges_nothing()
    {
        var world = World();
        world.FilterSettings.Filter = false;
        var stored = Stored(world, await world.PostAsync(CoreWorld.Form(body: ClearSpam)));
        Assert.Equal(CommentStatus.Published, stored.Status);
        Assert.Null(await world.Filter.ScoreAsync(new CommentSubmission { Id = "x", Thread = "/post/", Author = "Ann", Email = "", Body = ClearSpam, CreatedAt = world.Clock.GetUtcNow() }, default));
    }

    [Theory]
    [InlineData("Сheap саsino bonus", "mixed-scripts")]
    [InlineData("Wooooow great", "repeat")]
    [InlineData("see http://a.example/x and https://www.b.example.co.uk/y and www.c.example and http://d.example", "links:3")]
    public void Features_a_spammer_cannot_hide_are_seen(string body, string feature)
    {
        var features = SpamFeatures.Of("Ann", null, body);
        Assert.Contains(feature, features);
    }

    [Fact]
    public void Link_domains_count_as_their_registered_domain_and_the_name_as_its_words()
    {
        var features = SpamFeatures.Of("Best SEO 2026", "https://shop.spam.example.com/p", "go to https://a.b.casino.example.org/x and www.pills.co.uk");
        Assert.Contains("d:example.org", features);
        Assert.Contains("d:pills.co.uk", features);
        Assert.Contains("sd:example.com", features);
        Assert.Contains("a:seo", features);
        Assert.Contains("a-digits", features);
    }

    [Fact]
    public void The_words_of_the_website_domain_count_as_words_of_the_comment()
    {
        var features = SpamFeatures.Of("Ann", "https://promo.meilleur-casino-en-ligne.fr/bonus", "Merci !");
        Assert.Contains("w:meilleur", features);
        Assert.Contains("w:casino", features);
        Assert.Contains("w:ligne", features);
        Assert.DoesNotContain("w:en", features); // too short to mean anything
        Assert.DoesNotContain("w:fr", features); // the top-level domain has its own feature
        Assert.DoesNotContain("w:bonus", features); // the path is not the domain
        Assert.DoesNotContain("w:promo", features); // a sub-domain counts as its registered domain
    }

    [Fact]
    public void A_model_learns_the_lessons_weighed_and_is_stored_and_read_back_scoring_the_same()
    {
        var model = SpamModel.Train(
        [
            new(["w:casino", "w:bonus"], true), new(["w:casino", "w:free"], true),
            new(["w:merci", "w:article"], false), new(["w:merci", "w:recette"], false, Weight: 2),
        ]);
        var copy = SpamModel.Deserialize(model.Serialize());
        Assert.Equal(model.Features, copy.Features);
        Assert.Equal(model.Score(["w:casino", "w:merci"]).LogOdds, copy.Score(["w:casino", "w:merci"]).LogOdds, 3);
        Assert.True(model.Score(["w:casino"]).LogOdds > 0);
        Assert.True(model.Score(["w:merci"]).LogOdds < 0);
        // The same lessons always give the same model: every instance that retrains agrees.
        Assert.Equal(model.Serialize(), SpamModel.Train(
        [
            new(["w:casino", "w:bonus"], true), new(["w:casino", "w:free"], true),
            new(["w:merci", "w:article"], false), new(["w:merci", "w:recette"], false, Weight: 2),
        ]).Serialize());
    }

    [Fact]
    public void The_shipped_corpora_load_with_their_held_out_blog_lines()
    {
        var corpus = StartingCorpus.Load();
        Assert.Equal(1956, corpus.Count(c => c.Source.StartsWith("Youtube", StringComparison.Ordinal)));
        Assert.Equal(1005, corpus.Count(c => c.Source.StartsWith("Youtube", StringComparison.Ordinal) && c.IsSpam));
        foreach (var set in new[] { "blog-en", "blog-fr" })
        {
            var lines = corpus.Where(c => c.Source == set).ToList();
            Assert.True(lines.Count >= 100, set);
            Assert.Equal(lines.Count / 5, lines.Count(c => c.HeldOut));
            Assert.Contains(lines, c => c.IsSpam && c.HeldOut);
            Assert.Contains(lines, c => !c.IsSpam && c.HeldOut);
            // Honest readers give websites too: a set where only spam had one would teach that a website is spam.
            Assert.Contains(lines, c => c.IsSpam && c.Website is not null);
            Assert.True(lines.Count(c => !c.IsSpam && c.Website is not null) >= 20, set);
        }
    }

    [Fact]
    public void A_blog_line_may_carry_the_website_its_author_gave_and_learns_from_it()
    {
        var lines = StartingCorpus.Blog("blog-test", "# a comment line\nspam\tmeilleur casino\tSuper article !\thttps://casino-gagnant.example\nham\tAnn\tMerci\n\nham\tBob\tMerci\t\n").ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("https://casino-gagnant.example", lines[0].Website);
        Assert.Null(lines[1].Website);
        Assert.Null(lines[2].Website);
        var lesson = Assert.Single(StartingCorpus.Lessons([lines[0]]));
        Assert.Contains("sd:casino-gagnant.example", lesson.Features);
        Assert.Contains("site", lesson.Features);
    }
}
