using System.Security.Cryptography;
using System.Text;

namespace DistributedSync.Emulator.Auth;

/// <summary>
/// The two SCRAM variants MongoDB supports. They differ in the hash function, the default
/// iteration count and salt length, and how the password is prepared: SCRAM-SHA-1 hashes
/// MongoDB's legacy digest <c>hex(MD5(user + ":mongo:" + password))</c>, SCRAM-SHA-256 uses the
/// password after SASLprep (RFC 4013).
/// </summary>
public sealed class ScramAlgorithm
{
    private ScramAlgorithm(string mechanism, HashAlgorithmName hash, int hashSize, int defaultIterations)
    {
        Mechanism = mechanism;
        Hash = hash;
        HashSize = hashSize;
        DefaultIterations = defaultIterations;
    }

    /// <summary>SCRAM-SHA-1 (10,000 iterations by default, 16-byte salt).</summary>
    public static ScramAlgorithm Sha1 { get; } = new("SCRAM-SHA-1", HashAlgorithmName.SHA1, 20, 10_000);

    /// <summary>SCRAM-SHA-256 (15,000 iterations by default, 28-byte salt).</summary>
    public static ScramAlgorithm Sha256 { get; } = new("SCRAM-SHA-256", HashAlgorithmName.SHA256, 32, 15_000);

    /// <summary>Both, in the order mongod lists them in <c>saslSupportedMechs</c>.</summary>
    public static IReadOnlyList<ScramAlgorithm> All { get; } = [Sha1, Sha256];

    /// <summary>The SASL mechanism name.</summary>
    public string Mechanism { get; }

    /// <summary>The hash function.</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>The digest size in bytes.</summary>
    public int HashSize { get; }

    /// <summary>mongod's default iteration count (<c>scramIterationCount</c> / <c>scramSHA256IterationCount</c>).</summary>
    public int DefaultIterations { get; }

    /// <summary>The salt length mongod uses: the digest size less 4.</summary>
    public int SaltLength => HashSize - 4;

    /// <summary>The algorithm for a mechanism name, or null when unsupported.</summary>
    public static ScramAlgorithm? FromMechanism(string mechanism)
        => All.FirstOrDefault(a => string.Equals(a.Mechanism, mechanism, StringComparison.Ordinal));

    /// <summary>The bytes the salted password is derived from.</summary>
    /// <exception cref="ArgumentException">The password is not allowed by SASLprep (SCRAM-SHA-256).</exception>
    public byte[] PreparePassword(string user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        if (this == Sha1)
        {
#pragma warning disable CA5351 // MongoDB's SCRAM-SHA-1 is defined on this MD5 digest.
            var digest = MD5.HashData(Encoding.UTF8.GetBytes(user + ":mongo:" + password));
#pragma warning restore CA5351
            return Encoding.UTF8.GetBytes(Convert.ToHexStringLower(digest));
        }

        return Encoding.UTF8.GetBytes(SaslPrep.Prepare(password));
    }

    /// <summary>Hi(): PBKDF2 with one output block.</summary>
    public byte[] SaltedPassword(byte[] preparedPassword, byte[] salt, int iterations)
        => Rfc2898DeriveBytes.Pbkdf2(preparedPassword, salt, iterations, Hash, HashSize);

    /// <summary>HMAC with this hash.</summary>
    public byte[] Hmac(byte[] key, byte[] data)
        => Hash == HashAlgorithmName.SHA1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

    /// <summary>HMAC of an ASCII/UTF-8 text.</summary>
    public byte[] Hmac(byte[] key, string data) => Hmac(key, Encoding.UTF8.GetBytes(data));

    /// <summary>H(): the plain hash.</summary>
#pragma warning disable CA5350 // SCRAM-SHA-1 is defined on SHA-1.
    public byte[] Digest(byte[] data) => Hash == HashAlgorithmName.SHA1 ? SHA1.HashData(data) : SHA256.HashData(data);
#pragma warning restore CA5350

    /// <inheritdoc />
    public override string ToString() => Mechanism;
}
