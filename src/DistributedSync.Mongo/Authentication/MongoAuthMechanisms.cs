namespace DistributedSync.Mongo.Authentication;

/// <summary>The authentication mechanism names MongoDB defines (values of the <c>authMechanism</c> option).</summary>
public static class MongoAuthMechanisms
{
    /// <summary>SCRAM with SHA-1 over MongoDB's MD5 password digest (RFC 5802).</summary>
    public const string ScramSha1 = "SCRAM-SHA-1";

    /// <summary>SCRAM with SHA-256 over the SASLprep'd password (RFC 7677); MongoDB 4.0+.</summary>
    public const string ScramSha256 = "SCRAM-SHA-256";

    /// <summary>The challenge-response mechanism removed in MongoDB 4.0 (recognised, not supported).</summary>
    public const string MongoDbCr = "MONGODB-CR";

    /// <summary>X.509 client certificates.</summary>
    public const string MongoDbX509 = "MONGODB-X509";

    /// <summary>Kerberos.</summary>
    public const string Gssapi = "GSSAPI";

    /// <summary>LDAP via SASL PLAIN.</summary>
    public const string Plain = "PLAIN";

    /// <summary>AWS IAM credentials.</summary>
    public const string MongoDbAws = "MONGODB-AWS";

    /// <summary>OpenID Connect.</summary>
    public const string MongoDbOidc = "MONGODB-OIDC";

    /// <summary>Every mechanism name above, for validation.</summary>
    public static IReadOnlyList<string> All { get; } =
        [ScramSha1, ScramSha256, MongoDbCr, MongoDbX509, Gssapi, Plain, MongoDbAws, MongoDbOidc];

    /// <summary>The canonical spelling of <paramref name="name"/> (matched case-insensitively), or null when unknown.</summary>
    public static string? Canonicalize(string name)
    {
        foreach (var known in All)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }
}
