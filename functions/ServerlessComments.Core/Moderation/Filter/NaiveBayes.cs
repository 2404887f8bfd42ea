using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessComments.Moderation.Filter;

/// <summary>
/// A multinomial Naive Bayes over sets of features: per feature, in how many spam and how many
/// ham comments it was seen. Learning is adding counts, so it is incremental and two models add
/// up (the starting model plus what the owner taught, weighed more). Laplace smoothing; a feature
/// never seen in either class says nothing.
/// </summary>
public sealed class NaiveBayes
{
    private const double Alpha = 1.0;
    private readonly Dictionary<string, Counts> _features = new(StringComparer.Ordinal);
    private Counts _documents;
    private Counts _occurrences;

    /// <summary>Comments learnt from (ham, spam).</summary>
    public (double Ham, double Spam) Documents => (_documents.Ham, _documents.Spam);
    public int Vocabulary => _features.Count;

    public void Learn(IEnumerable<string> features, bool isSpam, double weight = 1)
    {
        _documents = _documents.Add(isSpam, weight);
        foreach (var feature in features)
        {
            _features[feature] = _features.GetValueOrDefault(feature).Add(isSpam, weight);
            _occurrences = _occurrences.Add(isSpam, weight);
        }
    }

    /// <summary>Adds another model's counts, times <paramref name="weight"/>.</summary>
    public void Add(NaiveBayes other, double weight)
    {
        _documents = _documents.Plus(other._documents, weight);
        _occurrences = _occurrences.Plus(other._occurrences, weight);
        foreach (var (feature, counts) in other._features)
            _features[feature] = _features.GetValueOrDefault(feature).Plus(counts, weight);
    }

    public NaiveBayes Copy()
    {
        var copy = new NaiveBayes();
        copy.Add(this, 1);
        return copy;
    }

    /// <summary>The log-odds of spam and each known feature's share of it (positive: towards spam).</summary>
    public (double LogOdds, List<(string Feature, double Weight)> Contributions) Score(IEnumerable<string> features)
    {
        var vocabulary = Math.Max(1, _features.Count);
        // Equal priors: the corpora's proportions of spam say nothing about a blog's.
        var logOdds = 0.0;
        var contributions = new List<(string, double)>();
        var spamTotal = _occurrences.Spam + Alpha * vocabulary;
        var hamTotal = _occurrences.Ham + Alpha * vocabulary;
        foreach (var feature in features)
        {
            if (!_features.TryGetValue(feature, out var c))
                continue;
            var weight = Math.Log((c.Spam + Alpha) / spamTotal) - Math.Log((c.Ham + Alpha) / hamTotal);
            logOdds += weight;
            contributions.Add((feature, weight));
        }
        return (logOdds, contributions);
    }

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(new Stored(
        [_documents.Ham, _documents.Spam], _features.ToDictionary(f => f.Key, f => new[] { f.Value.Ham, f.Value.Spam }, StringComparer.Ordinal)));

    public static NaiveBayes Deserialize(ReadOnlySpan<byte> json)
    {
        var stored = JsonSerializer.Deserialize<Stored>(json) ?? throw new JsonException("Not a model.");
        var model = new NaiveBayes { _documents = new Counts(stored.Documents[0], stored.Documents[1]) };
        foreach (var (feature, counts) in stored.Features)
        {
            var c = new Counts(counts[0], counts[1]);
            model._features[feature] = c;
            model._occurrences = model._occurrences.Plus(c, 1);
        }
        return model;
    }

    private sealed record Stored([property: JsonPropertyName("documents")] double[] Documents, [property: JsonPropertyName("features")] Dictionary<string, double[]> Features);

    private readonly record struct Counts(double Ham, double Spam)
    {
        public Counts Add(bool isSpam, double weight) => isSpam ? this with { Spam = Spam + weight } : this with { Ham = Ham + weight };
        public Counts Plus(Counts other, double weight) => new(Ham + weight * other.Ham, Spam + weight * other.Spam);
    }
}
