using System.Collections.ObjectModel;
using System.Text;

namespace DistributedSync.Mongo.Authentication;

/// <summary>
/// What a client authenticates with: a user name, an optional password, the source database
/// (where <c>saslStart</c> is sent), the mechanism (null means "negotiate": SCRAM-SHA-256 when the
/// server offers it for the user, else SCRAM-SHA-1) and mechanism properties.
/// <see cref="ToString"/> never shows the password.
/// </summary>
public sealed class MongoCredential
{
    private static readonly IReadOnlyDictionary<string, string> NoProperties =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Creates a credential.</summary>
    /// <param name="username">The user name, sent as given (MongoDB never SASLprep's user names).</param>
    /// <param name="password">The password, or null for mechanisms that take none.</param>
    /// <param name="source">The authentication database (e.g. "admin" or "$external").</param>
    /// <param name="mechanism">The mechanism name, or null to negotiate a SCRAM variant.</param>
    /// <param name="mechanismProperties">Mechanism properties; names are matched case-insensitively.</param>
    public MongoCredential(
        string? username,
        string? password,
        string source,
        string? mechanism = null,
        IReadOnlyDictionary<string, string>? mechanismProperties = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        Username = username;
        Password = password;
        Source = source;
        Mechanism = mechanism;
        if (mechanismProperties is null || mechanismProperties.Count == 0)
        {
            MechanismProperties = NoProperties;
        }
        else
        {
            var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in mechanismProperties)
            {
                copy[key] = value;
            }

            MechanismProperties = new ReadOnlyDictionary<string, string>(copy);
        }
    }

    /// <summary>The user name, or null (allowed for MONGODB-X509, MONGODB-AWS and MONGODB-OIDC).</summary>
    public string? Username { get; }

    /// <summary>The password in clear, or null. Never printed by <see cref="ToString"/>.</summary>
    public string? Password { get; }

    /// <summary>The authentication database.</summary>
    public string Source { get; }

    /// <summary>The mechanism, or null to negotiate (see <see cref="SaslMechanismNegotiation"/>).</summary>
    public string? Mechanism { get; }

    /// <summary>Mechanism properties (case-insensitive names); empty when none were given.</summary>
    public IReadOnlyDictionary<string, string> MechanismProperties { get; }

    /// <summary>Creates a SCRAM credential with mechanism negotiation.</summary>
    public static MongoCredential CreateScram(string username, string password, string source = "admin")
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        return new MongoCredential(username, password, source);
    }

    /// <summary>A copy with the mechanism set (e.g. after negotiation).</summary>
    public MongoCredential WithMechanism(string mechanism)
        => new(Username, Password, Source, mechanism, MechanismProperties);

    /// <summary>A description with the password shown as <c>****</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("MongoCredential { Username = ");
        sb.Append(Username ?? "(none)");
        sb.Append(", Password = ").Append(Password is null ? "(none)" : "****");
        sb.Append(", Source = ").Append(Source);
        sb.Append(", Mechanism = ").Append(Mechanism ?? "(negotiate)");
        if (MechanismProperties.Count > 0)
        {
            sb.Append(", MechanismProperties = { ");
            sb.AppendJoin(", ", MechanismProperties.Select(p => p.Key + ": " + (IsSecretProperty(p.Key) ? "****" : p.Value)));
            sb.Append(" }");
        }

        return sb.Append(" }").ToString();
    }

    /// <summary>Mechanism properties that hold secrets (shown as <c>****</c>).</summary>
    internal static bool IsSecretProperty(string name)
        => string.Equals(name, "AWS_SESSION_TOKEN", StringComparison.OrdinalIgnoreCase);
}
