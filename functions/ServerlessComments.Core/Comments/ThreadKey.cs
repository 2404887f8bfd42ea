using System.Security.Cryptography;
using System.Text;

namespace ServerlessComments.Comments;

/// <summary>
/// Derives the Azure Table partition key of a thread.
/// </summary>
/// <remarks>
/// A thread is any text of up to 400 characters, often a path, and may contain <c>/ \ # ?</c>,
/// which table keys forbid, or characters that make a key longer than the 1 KiB keys may take.
/// An escaping scheme would be readable but could exceed that limit; instead the key is the
/// SHA-256 of the thread's UTF-8 bytes, written in lowercase hex: fixed length (64), only
/// <c>[0-9a-f]</c>, and two different threads share a key only if SHA-256 collides. Every stored
/// comment also keeps its thread verbatim, and reads match on it, so even that could not mix threads.
/// </remarks>
public static class ThreadKey
{
    public const int Length = 64;

    public static string For(string thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(thread), hash);
        return Convert.ToHexStringLower(hash);
    }
}
