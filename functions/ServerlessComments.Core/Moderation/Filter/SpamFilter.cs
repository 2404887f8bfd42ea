using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;

namespace ServerlessComments.Moderation.Filter;

/// <summary>How much the filter has learnt, for the owner.</summary>
public sealed record SpamFilterStatus(bool On, int StartingComments, int SpamExamples, int HamExamples, int LearntExamples, DateTimeOffset? TrainedAt);

/// <summary>
/// The learning spam filter: the starting model (built once per process from the corpora shipped
/// in the core) until the owner has taught this site something. Every owner decision is kept as
/// an example; <see cref="RetrainAsync"/> (a timer) trains a model on the corpora and the
/// examples, weighed more, and stores it, and every instance reads the stored model at most once
/// a minute, so a decision reaches every instance within the retraining period plus a minute.
/// </summary>
public sealed class SpamFilter(ISpamLearning store, IOptions<SpamFilterOptions> options, TimeProvider clock, ILogger<SpamFilter> logger, Accepting.GuardKeys keys)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan RetrainEvery = TimeSpan.FromMinutes(5);

    /// <summary>What the corpora teach, read and turned into features once per process: every retraining starts from it.</summary>
    private static readonly Lazy<IReadOnlyList<SpamLesson>> CorpusLessons = new(() => StartingCorpus.Lessons(StartingCorpus.Load()));

    private static readonly Lazy<SpamModel> Starting = new(() => SpamModel.Train(CorpusLessons.Value));

    private Current? _current;
    private readonly SemaphoreSlim _reading = new(1, 1);

    public SpamFilterOptions Options => options.Value;

    /// <summary>The filter's score, or null when it is off.</summary>
    public async ValueTask<SpamScore?> ScoreAsync(CommentSubmission comment, CancellationToken cancellationToken)
    {
        if (!options.Value.Filter)
            return null;
        var current = await CurrentAsync(cancellationToken);
        return SpamClassifier.Score(current.Model, comment.Author, comment.Website, comment.Body);
    }

    /// <summary>Keeps the owner's decision on a comment as an example (replacing an earlier one on it),
    /// with the keyed hash of its address for a later erasure.</summary>
    public Task LearnAsync(StoredComment comment, bool isSpam, CancellationToken cancellationToken) =>
        store.SaveExampleAsync(new SpamExample(comment.Id, isSpam, comment.Author, comment.Website, comment.Body, clock.GetUtcNow(),
            string.IsNullOrWhiteSpace(comment.Email) ? null : keys.SpamExampleAuthor(comment.Email)), cancellationToken);

    /// <summary>Rebuilds the owner's model from every example, unless it already holds exactly them.</summary>
    /// <returns>How many examples the stored model holds.</returns>
    public async Task<int> RetrainAsync(CancellationToken cancellationToken)
    {
        var examples = await store.ListExamplesAsync(cancellationToken);
        var signature = Signature(examples);
        if (await ReadOwnerModelAsync(cancellationToken) is { } stored && stored.Signature == signature)
            return stored.Examples;
        var document = new OwnerModel(signature, examples.Count, clock.GetUtcNow(), Train(examples, options.Value.FilterOwnerWeight).Serialize());
        await store.SaveModelAsync(JsonSerializer.SerializeToUtf8Bytes(document), cancellationToken);
        _current = null; // this instance at once; the others within a minute
        logger.LogInformation("Spam filter retrained on {Count} owner decision(s)", examples.Count);
        return examples.Count;
    }

    /// <summary>Forgets every owner decision: the filter is the starting model again, on this instance
    /// at once and on the others within a minute.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        await store.ResetAsync(cancellationToken);
        _current = null;
        logger.LogInformation("Spam filter reset to its starting model by the owner");
    }

    public async Task<SpamFilterStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var examples = await store.ListExamplesAsync(cancellationToken);
        var stored = await ReadOwnerModelAsync(cancellationToken);
        return new SpamFilterStatus(options.Value.Filter, CorpusLessons.Value.Count, examples.Count(e => e.IsSpam), examples.Count(e => !e.IsSpam),
            stored?.Examples ?? 0, stored?.TrainedAt);
    }

    private async ValueTask<Current> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_current is { } c && clock.GetUtcNow() - c.ReadAt < Freshness)
            return c;
        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } again && clock.GetUtcNow() - again.ReadAt < Freshness)
                return again;
            var stored = await store.ReadModelAsync(_current?.Version, cancellationToken);
            if (_current is { } known && known.Version == stored?.Version)
                return _current = known with { ReadAt = clock.GetUtcNow() };
            var model = stored?.Content is { } content && Parse(content) is { } owner && Trained(owner) is { } trained ? trained : Starting.Value;
            return _current = new Current(model, stored?.Version, clock.GetUtcNow());
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>The model of the corpora and the owner's examples, each worth <paramref name="ownerWeight"/> comments of the corpora.</summary>
    public static SpamModel Train(IEnumerable<SpamExample> examples, double ownerWeight)
    {
        var lessons = CorpusLessons.Value.ToList();
        lessons.AddRange(examples.Select(e => new SpamLesson(SpamFeatures.Of(e.Author, e.Website, e.Body), e.IsSpam, ownerWeight)));
        return SpamModel.Train(lessons);
    }

    private async Task<OwnerModel?> ReadOwnerModelAsync(CancellationToken cancellationToken) =>
        await store.ReadModelAsync(null, cancellationToken) is { Content: { } content } ? Parse(content) : null;

    /// <summary>The stored model's document, or null when there is none this version can use
    /// (damaged, or a model of an earlier version, which the next retraining replaces). Its weights
    /// are read only to judge (<see cref="Trained"/>): the status and the retraining need its signature.</summary>
    private OwnerModel? Parse(byte[] content)
    {
        try
        {
            var owner = JsonSerializer.Deserialize<OwnerModel>(content);
            return owner?.Model is { Length: > 0 } ? owner : null;
        }
        catch (JsonException e)
        {
            // A damaged model must not stop comments: the starting model judges until the next retraining.
            logger.LogError(e, "The stored spam filter model cannot be read; using the starting model");
            return null;
        }
    }

    // "lr": models of the Naive Bayes this filter used first do not match, so they are retrained.
    private static string Signature(IReadOnlyList<SpamExample> examples) =>
        $"lr:{examples.Count}:{(examples.Count == 0 ? 0 : examples.Max(e => e.DecidedAt.UtcTicks))}:{examples.Count(e => e.IsSpam)}";

    private sealed record Current(SpamModel Model, string? Version, DateTimeOffset ReadAt);

    private SpamModel? Trained(OwnerModel owner)
    {
        try
        {
            return SpamModel.Deserialize(owner.Model!);
        }
        catch (JsonException e)
        {
            logger.LogError(e, "The stored spam filter model cannot be read; using the starting model");
            return null;
        }
    }

    private sealed record OwnerModel(string Signature, int Examples, DateTimeOffset TrainedAt, byte[]? Model);
}
