using DistributedSync.Bson;

namespace DistributedSync.Mongo.Authentication;

/// <summary>
/// MongoDB's default-mechanism rules: when a credential names no mechanism, the handshake's
/// <c>hello</c> carries <c>saslSupportedMechs: "&lt;source&gt;.&lt;username&gt;"</c> and the reply's
/// <c>saslSupportedMechs</c> array decides: SCRAM-SHA-256 when listed, otherwise SCRAM-SHA-1 (even
/// when SCRAM-SHA-1 is not listed, and also when the field is absent). No other mechanism is ever
/// chosen by default.
/// </summary>
public static class SaslMechanismNegotiation
{
    /// <summary>The value of the <c>saslSupportedMechs</c> hello field for <paramref name="credential"/> (the user name unmodified).</summary>
    public static string CreateSaslSupportedMechsQuery(MongoCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (string.IsNullOrEmpty(credential.Username))
        {
            throw new ArgumentException("Mechanism negotiation needs a user name.", nameof(credential));
        }

        return credential.Source + "." + credential.Username;
    }

    /// <summary>Picks the default mechanism from the server's advertised list (null when absent).</summary>
    public static string SelectDefaultMechanism(IEnumerable<string>? saslSupportedMechs)
        => saslSupportedMechs is not null && saslSupportedMechs.Contains(MongoAuthMechanisms.ScramSha256, StringComparer.Ordinal)
            ? MongoAuthMechanisms.ScramSha256
            : MongoAuthMechanisms.ScramSha1;

    /// <summary>Picks the default mechanism from a <c>hello</c> reply.</summary>
    public static string SelectDefaultMechanism(BsonDocument? helloReply)
    {
        if (helloReply is not null && helloReply.TryGetValue("saslSupportedMechs", out var value) && value is BsonArray array)
        {
            return SelectDefaultMechanism(array.OfType<BsonString>().Select(s => s.Value));
        }

        return MongoAuthMechanisms.ScramSha1;
    }

    /// <summary>
    /// Creates the SCRAM conversation for <paramref name="credential"/>: its own mechanism when set,
    /// otherwise the one <see cref="SelectDefaultMechanism(BsonDocument?)"/> picks from
    /// <paramref name="helloReply"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The credential names a mechanism other than SCRAM-SHA-1/256.</exception>
    /// <exception cref="MongoAuthenticationException">The credential has no user name or no password.</exception>
    public static ScramConversation CreateConversation(
        MongoCredential credential,
        BsonDocument? helloReply,
        Func<string>? nonceFactory = null,
        ScramCredentialCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var mechanism = credential.Mechanism ?? SelectDefaultMechanism(helloReply);
        if (string.IsNullOrEmpty(credential.Username) || credential.Password is null)
        {
            throw new MongoAuthenticationException(mechanism, "the credential has no user name or no password.");
        }

        return mechanism switch
        {
            MongoAuthMechanisms.ScramSha256 => new ScramSha256(credential.Username, credential.Password, nonceFactory, cache),
            MongoAuthMechanisms.ScramSha1 => new ScramSha1(credential.Username, credential.Password, nonceFactory, cache),
            _ => throw new NotSupportedException($"The authentication mechanism {mechanism} is not supported; only SCRAM-SHA-1 and SCRAM-SHA-256 are."),
        };
    }
}
