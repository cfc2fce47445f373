using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace DistributedSync.Mongo.Authentication;

/// <summary>The client and server keys derived from one salted password.</summary>
internal sealed record ScramKeys(byte[] ClientKey, byte[] ServerKey);

/// <summary>
/// The SCRAM key cache MongoDB's auth spec requires: PBKDF2 with thousands of iterations runs once
/// per (mechanism, password, salt, iteration count) instead of once per connection. Entries are
/// keyed by a SHA-256 hash of the prepared password (never the password itself) together with the
/// salt and iteration count, and hold the derived ClientKey and ServerKey. The cache is bounded:
/// when it holds <see cref="Capacity"/> entries it is emptied before a new one is added.
/// </summary>
public sealed class ScramCredentialCache
{
    private readonly ConcurrentDictionary<string, ScramKeys> _entries = new(StringComparer.Ordinal);
    private int _hits;

    /// <summary>Creates an empty cache holding at most <paramref name="capacity"/> entries.</summary>
    public ScramCredentialCache(int capacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The process-wide cache conversations use unless given another.</summary>
    public static ScramCredentialCache Shared { get; } = new();

    /// <summary>The most entries kept.</summary>
    public int Capacity { get; }

    /// <summary>The number of cached entries.</summary>
    public int Count => _entries.Count;

    /// <summary>How many lookups were answered from the cache (for diagnostics and tests).</summary>
    internal int Hits => Volatile.Read(ref _hits);

    /// <summary>Removes every entry.</summary>
    public void Clear() => _entries.Clear();

    internal ScramKeys GetOrCompute(string mechanism, string preparedPassword, byte[] salt, int iterations, Func<string, byte[], int, ScramKeys> compute)
    {
        var key = CreateKey(mechanism, preparedPassword, salt, iterations);
        if (_entries.TryGetValue(key, out var cached))
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }

        var keys = compute(preparedPassword, salt, iterations);
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[key] = keys;
        return keys;
    }

    private static string CreateKey(string mechanism, string preparedPassword, byte[] salt, int iterations)
    {
        var passwordBytes = Encoding.UTF8.GetBytes(preparedPassword);
        var passwordHash = SHA256.HashData(passwordBytes);
        CryptographicOperations.ZeroMemory(passwordBytes);
        return string.Join(
            '|',
            mechanism,
            Convert.ToBase64String(passwordHash),
            Convert.ToBase64String(salt),
            iterations.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
