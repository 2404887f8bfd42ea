namespace ServerlessComments.Moderation.Filter;

/// <summary>The filter's judgement of one comment: the probability that it is spam and what weighed most.</summary>
public sealed record SpamScore(double Probability, IReadOnlyList<string> Top)
{
    /// <summary>"spam 0.97: casino, bonus, 3 links", as the owner reads it in the reasons.</summary>
    public string Reason => Top.Count == 0
        ? $"filter: spam {Probability:0.00}"
        : $"filter: spam {Probability:0.00}: {string.Join(", ", Top)}";
}

/// <summary>Scores comments with a <see cref="SpamModel"/> over <see cref="SpamFeatures"/>.</summary>
public static class SpamClassifier
{
    public static SpamScore Score(SpamModel model, string author, string? website, string body, int top = 3)
    {
        var (logOdds, contributions) = model.Score(SpamFeatures.Of(author, website, body));
        var probability = SpamModel.Sigmoid(logOdds);
        var towards = probability >= 0.5 ? 1 : -1;
        var named = contributions
            .Where(c => c.Weight * towards > 0)
            .OrderByDescending(c => c.Weight * towards)
            .Select(c => SpamFeatures.Describe(c.Feature))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Take(top)
            .ToList();
        return new SpamScore(probability, named);
    }
}
