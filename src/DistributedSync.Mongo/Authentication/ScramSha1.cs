using System.Security.Cryptography;
using System.Text;

namespace DistributedSync.Mongo.Authentication;

/// <summary>
/// SCRAM-SHA-1 as MongoDB runs it: the "password" fed to PBKDF2 is
/// <c>hex(MD5(username + ":mongo:" + password))</c> (lower-case hex), with neither the user name
/// nor the password SASLprep'd, as MongoDB's auth spec requires.
/// </summary>
public sealed class ScramSha1 : ScramConversation
{
    private readonly bool _mongoDigest;

    /// <summary>Starts a conversation for <paramref name="username"/> and <paramref name="password"/>.</summary>
    /// <param name="username">The user name, sent as given.</param>
    /// <param name="password">The clear-text password.</param>
    /// <param name="nonceFactory">The client nonce source (tests pass a fixed one); null for 24 random bytes in base64.</param>
    /// <param name="cache">The key cache; null for <see cref="ScramCredentialCache.Shared"/>.</param>
    public ScramSha1(string username, string password, Func<string>? nonceFactory = null, ScramCredentialCache? cache = null)
        : this(username, password, nonceFactory, cache, mongoDigest: true)
    {
    }

    private ScramSha1(string username, string password, Func<string>? nonceFactory, ScramCredentialCache? cache, bool mongoDigest)
        : base(username, password, nonceFactory, cache) => _mongoDigest = mongoDigest;

    /// <inheritdoc />
    public override string MechanismName => MongoAuthMechanisms.ScramSha1;

    private protected override HashAlgorithmName HashAlgorithm => HashAlgorithmName.SHA1;

    private protected override int HashLength => 20;

    /// <summary>
    /// Plain RFC 5802 SCRAM-SHA-1 (password SASLprep'd, no MongoDB digest), so the RFC's own test
    /// vector can be checked. MongoDB servers do not accept it.
    /// </summary>
    internal static ScramSha1 CreateRfc5802(string username, string password, Func<string> nonceFactory, ScramCredentialCache? cache = null)
        => new(username, password, nonceFactory, cache ?? new ScramCredentialCache(), mongoDigest: false);

    /// <summary>MongoDB's password digest: lower-case hex of MD5(UTF-8(username + ":mongo:" + password)).</summary>
    internal static string MongoPasswordDigest(string username, string password)
    {
        var input = Encoding.UTF8.GetBytes(username + ":mongo:" + password);
        try
        {
#pragma warning disable CA5351 // MD5 is mandated by MongoDB's SCRAM-SHA-1 wire protocol; it is not used for security on its own.
            return Convert.ToHexStringLower(MD5.HashData(input));
#pragma warning restore CA5351
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    private protected override string PreparePassword(string username, string password)
        => _mongoDigest ? MongoPasswordDigest(username, password) : SaslPrep.Prepare(password);
}
