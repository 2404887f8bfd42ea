using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Core;

/// <summary>The one gate behind the view updater's and the site counts' writes.</summary>
public sealed class CoalescerTests
{
    /// <summary>Work whose runs are held until the test lets each one go.</summary>
    private sealed class HeldWork
    {
        public readonly List<IReadOnlyList<string>?> Runs = [];
        public readonly List<TaskCompletionSource<int>> Releases = [];
        public readonly SemaphoreSlim Started = new(0);

        public Task<int> RunAsync(IReadOnlyList<string>? changes)
        {
            var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Runs)
            {
                Runs.Add(changes);
                Releases.Add(release);
            }
            Started.Release();
            return release.Task;
        }

        public async Task WaitForRunAsync(int count)
        {
            while (true)
            {
                lock (Runs)
                {
                    if (Runs.Count >= count)
                        return;
                }
                Assert.True(await Started.WaitAsync(TimeSpan.FromSeconds(10)), $"run {count} to start");
            }
        }
    }

    [Fact]
    public async Task Callers_arriving_during_a_run_share_one_next_run_that_takes_all_their_changes()
    {
        var work = new HeldWork();
        var gate = new Coalescer<string, int>(work.RunAsync);

        var first = gate.RunAsync("a", TestContext.Current.CancellationToken);
        await work.WaitForRunAsync(1);
        var others = new[] { "b", "c", "d" }.Select(c => gate.RunAsync(c, TestContext.Current.CancellationToken)).ToList();
        work.Releases[0].SetResult(1);
        Assert.Equal(1, await first);

        await work.WaitForRunAsync(2);
        work.Releases[1].SetResult(2);
        Assert.All(await Task.WhenAll(others), result => Assert.Equal(2, result));
        Assert.Equal(2, work.Runs.Count);
        Assert.Equal(["a"], work.Runs[0]!);
        Assert.Equal(["b", "c", "d"], work.Runs[1]!);
    }

    [Fact]
    public async Task The_changes_of_a_run_that_fails_go_to_the_next_run()
    {
        var work = new HeldWork();
        var gate = new Coalescer<string, int>(work.RunAsync);

        var failing = gate.RunAsync("a", TestContext.Current.CancellationToken);
        await work.WaitForRunAsync(1);
        work.Releases[0].SetException(new IOException("storage fell over"));
        await Assert.ThrowsAsync<IOException>(() => failing);

        var next = gate.RunAsync("b", TestContext.Current.CancellationToken);
        await work.WaitForRunAsync(2);
        work.Releases[1].SetResult(7);
        Assert.Equal(7, await next);
        Assert.Equal(["a", "b"], work.Runs[1]!.Order());
    }

    [Fact]
    public async Task A_null_change_asks_for_everything_and_the_gate_says_when_it_is_idle()
    {
        var work = new HeldWork();
        var idle = 0;
        var gate = new Coalescer<string, int>(work.RunAsync) { Idle = () => idle++ };

        var first = gate.RunAsync("a", TestContext.Current.CancellationToken);
        await work.WaitForRunAsync(1);
        var all = gate.RunAsync(null, TestContext.Current.CancellationToken);
        var one = gate.RunAsync("b", TestContext.Current.CancellationToken);
        work.Releases[0].SetResult(1);
        await first;
        Assert.Equal(0, idle);
        await work.WaitForRunAsync(2);
        work.Releases[1].SetResult(3);
        var results = await Task.WhenAll(all, one);
        Assert.Equal([3, 3], results);
        Assert.Null(work.Runs[1]);
        Assert.Equal(1, idle);
    }
}
