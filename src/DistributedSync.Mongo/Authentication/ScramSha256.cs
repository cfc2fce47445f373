using System.Security.Cryptography;

namespace DistributedSync.Mongo.Authentication;

/// <summary>
/// SCRAM-SHA-256 (RFC 7677) as MongoDB 4.0+ runs it: the password is prepared with
/// <see cref="SaslPrep"/> (stored-string rules) and used directly, with no digest; the user name is
/// sent unprepared.
/// </summary>
public sealed class ScramSha256 : ScramConversation
{
    /// <summary>Starts a conversation for <paramref name="username"/> and <paramref name="password"/>.</summary>
    /// <param name="username">The user name, sent as given.</param>
    /// <param name="password">The clear-text password (SASLprep'd before use).</param>
    /// <param name="nonceFactory">The client nonce source (tests pass a fixed one); null for 24 random bytes in base64.</param>
    /// <param name="cache">The key cache; null for <see cref="ScramCredentialCache.Shared"/>.</param>
    public ScramSha256(string username, string password, Func<string>? nonceFactory = null, ScramCredentialCache? cache = null)
        : base(username, password, nonceFactory, cache)
    {
    }

    /// <inheritdoc />
    public override string MechanismName => MongoAuthMechanisms.ScramSha256;

    private protected override HashAlgorithmName HashAlgorithm => HashAlgorithmName.SHA256;

    private protected override int HashLength => 32;

    private protected override string PreparePassword(string username, string password) => SaslPrep.Prepare(password);
}
