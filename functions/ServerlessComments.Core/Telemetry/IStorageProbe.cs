namespace ServerlessComments.Telemetry;

/// <summary>What the health check asks of storage, whatever stores the app's data: that it
/// answers, and how many jobs failed every retry.</summary>
public interface IStorageProbe
{
    /// <summary>One cheap request to each storage service the app uses; throws when one does not answer.</summary>
    /// <returns>How many jobs wait in each dead-letter (poison) queue, by queue: <c>comments</c> and
    /// <c>notifications</c>, 0 when none ever failed.</returns>
    Task<IReadOnlyDictionary<string, int>> CheckAsync(CancellationToken cancellationToken);
}
