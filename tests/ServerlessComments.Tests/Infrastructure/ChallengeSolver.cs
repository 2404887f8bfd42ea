using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServerlessComments.Accepting;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Infrastructure;

/// <summary>Solves a proof-of-work challenge as any client must: by trying every number in turn
/// (written here from the scheme, not with the server's code, so a server that checked something
/// else would refuse these proofs).</summary>
public static class ChallengeSolver
{
    public static string Solve(PowChallenge c) => Solve(c.Algorithm, c.Challenge, c.Maxnumber, c.Salt, c.Signature);

    public static string Solve(JsonElement c) => Solve(c.GetProperty("algorithm").GetString()!, c.GetProperty("challenge").GetString()!,
        c.GetProperty("maxnumber").GetInt64(), c.GetProperty("salt").GetString()!, c.GetProperty("signature").GetString()!);

    public static string Solve(string algorithm, string challenge, long max, string salt, string signature, long? number = null)
    {
        number ??= Find(challenge, max, salt);
        return Proof(algorithm, challenge, number.Value, salt, signature);
    }

    public static string Proof(string algorithm, string challenge, long number, string salt, string signature) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { algorithm, challenge, number, salt, signature }));

    public static long Find(string challenge, long max, string salt)
    {
        var want = Convert.FromHexString(challenge);
        for (long n = 0; n <= max; n++)
        {
            if (System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(salt + n)).AsSpan().SequenceEqual(want))
                return n;
        }
        throw new InvalidOperationException("No number solves this challenge.");
    }

    /// <summary>Fetches a challenge from the host and solves it.</summary>
    public static async Task<string> SolveAsync(SelfHost host)
    {
        var response = await host.Http.GetAsync("api/challenge");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Solve(await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
