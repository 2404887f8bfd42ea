namespace ServerlessComments.Testing;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; throws naming <paramref name="what"/> after the timeout.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await condition())
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for: {what}");
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
