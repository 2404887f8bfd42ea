using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Notifications;

namespace ServerlessComments.Benchmarks;

/// <summary>
/// <c>pow [--max N] [--seconds S]</c>: what the proof of work costs a bot, on one core in .NET, at a
/// difficulty: real challenges from <see cref="Challenges"/>, solved one after another by the
/// tightest plain loop (no allocation per try), and what checking one costs the server. A reader's
/// cost in Chromium is the browser test <c>Measure_what_the_default_difficulty_costs_a_reader_in_chromium</c>.
/// </summary>
public static class PowBench
{
    private sealed class NoneUsed : IUsedChallenges
    {
        public Task<string?> TryUseAsync(string id, string usedFor, DateTimeOffset expires, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
        public Task<int> ForgetExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(0);
    }

    public static int Run(int maxNumber, int seconds)
    {
        var options = Options.Create(new ChallengeOptions { MaxNumber = maxNumber });
        var signer = new LinkSigner(Options.Create(new NotificationOptions { LinkSecret = new string('b', 40) }), NullLogger<LinkSigner>.Instance);
        var challenges = new Challenges(new NoneUsed(), signer, options, TimeProvider.System);

        // One thread: a bot's cost per core.
        Thread.CurrentThread.Priority = ThreadPriority.Highest;
        var times = new List<double>();
        long hashes = 0;
        var clock = Stopwatch.StartNew();
        string? lastProof = null;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var c = challenges.Issue();
            var started = clock.Elapsed;
            var number = Solve(c.Salt, Convert.FromHexString(c.Challenge), c.Maxnumber);
            times.Add((clock.Elapsed - started).TotalMilliseconds);
            hashes += number + 1;
            lastProof = Convert.ToBase64String(Encoding.UTF8.GetBytes(
                $$"""{"algorithm":"SHA-256","challenge":"{{c.Challenge}}","number":{{number}},"salt":"{{c.Salt}}","signature":"{{c.Signature}}"}"""));
        }
        var total = clock.Elapsed.TotalSeconds;
        times.Sort();

        // The server's side: checking a proof (no storage) many times.
        var checks = 0;
        var check = Stopwatch.StartNew();
        while (check.ElapsedMilliseconds < 1000)
        {
            if (challenges.Verify(lastProof, out _, out _) != ProofCheck.Valid)
                throw new InvalidOperationException("The benchmark's own proof was refused.");
            checks++;
        }

        Console.WriteLine($"proof of work, MaxNumber {maxNumber}, one .NET core ({Environment.ProcessorCount} cores on this machine, shared):");
        Console.WriteLine($"  {times.Count} challenges solved in {total:F1} s: {times.Count / total:F1} solutions/s, {hashes / total / 1e6:F2} M hashes/s");
        Console.WriteLine($"  per solution: median {times[times.Count / 2]:F1} ms, fastest {times[0]:F1} ms, slowest {times[^1]:F1} ms");
        Console.WriteLine($"  the server checks {checks / check.Elapsed.TotalSeconds:F0} proofs/s on one core (signature, expiry, hash; the spent-proof row aside)");
        return 0;
    }

    private static long Solve(string salt, byte[] want, long max)
    {
        Span<byte> input = stackalloc byte[Encoding.UTF8.GetByteCount(salt) + 20];
        var prefix = Encoding.UTF8.GetBytes(salt, input);
        Span<byte> hash = stackalloc byte[32];
        for (long n = 0; n <= max; n++)
        {
            Utf8Formatter.TryFormat(n, input[prefix..], out var digits);
            SHA256.HashData(input[..(prefix + digits)], hash);
            if (hash.SequenceEqual(want))
                return n;
        }
        throw new InvalidOperationException("unsolvable");
    }
}
