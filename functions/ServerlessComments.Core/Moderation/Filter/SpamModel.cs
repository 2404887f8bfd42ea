using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessComments.Moderation.Filter;

/// <summary>One comment to learn from: its features, whether it is spam, and how much it counts
/// (an owner's decision counts more than a comment of the corpora).</summary>
public sealed record SpamLesson(IReadOnlyCollection<string> Features, bool IsSpam, double Weight = 1);

/// <summary>
/// A logistic regression over sets of features: a weight per feature and a bias, the log-odds of
/// spam being their sum. Chosen over Naive Bayes (which this filter used first) because it weighs
/// features together: Naive Bayes counted "https", "www", "com" and "1 link" as four independent
/// proofs of spam, so one honest link was enough to hold a comment. Trained with AdaGrad and L2,
/// examples visited in an order drawn from a fixed seed, so the same lessons always give the same
/// model on every instance.
/// </summary>
public sealed class SpamModel
{
    public const int Epochs = 30;
    private const double LearningRate = 0.1;
    private const int Seed = 7;
    /// <summary>Weights closer to zero than this say nothing and are not kept.</summary>
    private const double Negligible = 1e-4;
    /// <summary>The L2 penalty, applied per comment visited: larger keeps weights small and the model
    /// humble about words it saw rarely. 0.005 lost recall on the YouTube folds and on the blog sets
    /// for no gain in precision (docs/spam-filter.md).</summary>
    private const double Regularisation = 0.002;

    private readonly Dictionary<string, double> _weights;
    private readonly double _bias;

    private SpamModel(Dictionary<string, double> weights, double bias)
    {
        _weights = weights;
        _bias = bias;
    }

    public int Features => _weights.Count;

    public static SpamModel Train(IReadOnlyList<SpamLesson> lessons)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new int[lessons.Count][];
        for (var i = 0; i < lessons.Count; i++)
        {
            var row = new int[lessons[i].Features.Count];
            var k = 0;
            foreach (var feature in lessons[i].Features)
            {
                if (!index.TryGetValue(feature, out var j))
                    index[feature] = j = index.Count;
                row[k++] = j;
            }
            rows[i] = row;
        }

        var w = new double[index.Count];
        var squares = new double[index.Count];
        double bias = 0, biasSquares = 0;
        var order = Enumerable.Range(0, lessons.Count).ToArray();
        var random = new Random(Seed);
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var i in order)
            {
                var row = rows[i];
                var z = bias;
                foreach (var j in row)
                    z += w[j];
                var error = (Sigmoid(z) - (lessons[i].IsSpam ? 1 : 0)) * lessons[i].Weight;
                foreach (var j in row)
                {
                    // The penalty is applied to the features a comment has, when it is visited: sparse and close enough.
                    var g = error + Regularisation * w[j];
                    squares[j] += g * g;
                    w[j] -= LearningRate * g / Math.Sqrt(squares[j] + 1e-8);
                }
                biasSquares += error * error;
                bias -= LearningRate * error / Math.Sqrt(biasSquares + 1e-8);
            }
        }

        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (feature, j) in index)
            if (Math.Abs(w[j]) >= Negligible)
                weights[feature] = w[j];
        return new SpamModel(weights, bias);
    }

    /// <summary>The log-odds of spam and each known feature's share of it (positive: towards spam).</summary>
    public (double LogOdds, List<(string Feature, double Weight)> Contributions) Score(IEnumerable<string> features)
    {
        var logOdds = _bias;
        var contributions = new List<(string, double)>();
        foreach (var feature in features)
        {
            if (!_weights.TryGetValue(feature, out var weight))
                continue;
            logOdds += weight;
            contributions.Add((feature, weight));
        }
        return (logOdds, contributions);
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    // Four decimals are far finer than anything the thresholds can tell apart, and halve the stored size.
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(new Stored(Math.Round(_bias, 4),
        _weights.ToDictionary(f => f.Key, f => Math.Round(f.Value, 4), StringComparer.Ordinal)));

    public static SpamModel Deserialize(ReadOnlySpan<byte> json)
    {
        var stored = JsonSerializer.Deserialize<Stored>(json) ?? throw new JsonException("Not a model.");
        return new SpamModel(new Dictionary<string, double>(stored.Weights, StringComparer.Ordinal), stored.Bias);
    }

    private sealed record Stored([property: JsonPropertyName("bias")] double Bias, [property: JsonPropertyName("weights")] Dictionary<string, double> Weights);
}
