using DistributedSync.Mongo.Authentication;

namespace DistributedSync.Mongo.Configuration;

/// <summary>
/// Builds the <see cref="MongoCredential"/> a connection string describes, following MongoDB's auth
/// spec: a credential exists when the string has user information (an '@') or an
/// <c>authMechanism</c>; the database or <c>authSource</c> alone never asks for authentication.
/// The source defaults per mechanism (the database or "admin" for SCRAM and MONGODB-CR, the
/// database or "$external" for PLAIN, always "$external" for GSSAPI, X.509, AWS and OIDC) and
/// each mechanism's required and forbidden parts are checked. A missing password is accepted for
/// password mechanisms (the application may supply it in code); authentication then fails clearly.
/// </summary>
internal static class CredentialFactory
{
    private static readonly string[] GssapiProperties = ["SERVICE_NAME", "CANONICALIZE_HOST_NAME", "SERVICE_REALM", "SERVICE_HOST"];
    private static readonly string[] CanonicalizeValues = ["none", "forward", "forwardAndReverse", "true", "false"];
    private static readonly string[] OidcProperties = ["ENVIRONMENT", "TOKEN_RESOURCE", "ALLOWED_HOSTS"];
    private static readonly string[] OidcEnvironments = ["test", "azure", "gcp", "k8s"];

    internal static MongoCredential? Create(
        bool hasUserInfo,
        string? username,
        string? password,
        string? database,
        IReadOnlyDictionary<string, object> values)
    {
        var mechanism = values.TryGetValue("authMechanism", out var m) ? (string)m : null;
        if (values.TryGetValue("authSource", out var s) && ((string)s).Length == 0)
        {
            throw Error("authSource cannot be empty.");
        }

        if (!hasUserInfo && mechanism is null)
        {
            return null;
        }

        var source = s as string;
        var properties = values.TryGetValue("authMechanismProperties", out var p)
            ? (IReadOnlyDictionary<string, string>)p
            : new Dictionary<string, string>();
        var name = mechanism ?? "the default mechanism (SCRAM)";

        switch (mechanism)
        {
            case null or MongoAuthMechanisms.ScramSha1 or MongoAuthMechanisms.ScramSha256 or MongoAuthMechanisms.MongoDbCr:
                RequireUsername(username, name);
                ForbidProperties(properties, name);
                return new MongoCredential(username, password, source ?? database ?? "admin", mechanism);
            case MongoAuthMechanisms.Plain:
                RequireUsername(username, name);
                ForbidProperties(properties, name);
                return new MongoCredential(username, password, source ?? database ?? "$external", mechanism);
            case MongoAuthMechanisms.MongoDbX509:
                ForbidPassword(password, name);
                ForbidProperties(properties, name);
                return new MongoCredential(username, null, RequireExternal(source, name), mechanism);
            case MongoAuthMechanisms.Gssapi:
                RequireUsername(username, name);
                return new MongoCredential(username, password, RequireExternal(source, name), mechanism, GssapiPropertiesWithDefaults(properties));
            case MongoAuthMechanisms.MongoDbAws:
                if (username is not null && password is null)
                {
                    throw Error("MONGODB-AWS needs both an access key id (user name) and a secret access key (password), or neither.");
                }

                AllowOnly(properties, ["AWS_SESSION_TOKEN"], name);
                return new MongoCredential(username, password, RequireExternal(source, name), mechanism, properties);
            default:
                ForbidPassword(password, name);
                ValidateOidc(username, properties);
                return new MongoCredential(username, null, RequireExternal(source, name), mechanism, properties);
        }
    }

    private static Dictionary<string, string> GssapiPropertiesWithDefaults(IReadOnlyDictionary<string, string> properties)
    {
        AllowOnly(properties, GssapiProperties, MongoAuthMechanisms.Gssapi);
        if (properties.TryGetValue("CANONICALIZE_HOST_NAME", out var canonicalize)
            && !CanonicalizeValues.Contains(canonicalize, StringComparer.Ordinal))
        {
            throw Error($"CANONICALIZE_HOST_NAME must be one of {string.Join(", ", CanonicalizeValues)}.");
        }

        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["SERVICE_NAME"] = "mongodb" };
        foreach (var (key, value) in properties)
        {
            result[key] = value;
        }

        return result;
    }

    private static void ValidateOidc(string? username, IReadOnlyDictionary<string, string> properties)
    {
        AllowOnly(properties, OidcProperties, MongoAuthMechanisms.MongoDbOidc);
        if (!properties.TryGetValue("ENVIRONMENT", out var environment))
        {
            return; // A callback supplied in code may complete the credential.
        }

        if (!OidcEnvironments.Contains(environment, StringComparer.Ordinal))
        {
            throw Error($"The MONGODB-OIDC ENVIRONMENT '{environment}' is not supported; expected one of {string.Join(", ", OidcEnvironments)}.");
        }

        var needsResource = environment is "azure" or "gcp";
        if (needsResource != properties.ContainsKey("TOKEN_RESOURCE"))
        {
            throw Error(needsResource
                ? $"MONGODB-OIDC with ENVIRONMENT:{environment} needs TOKEN_RESOURCE."
                : $"MONGODB-OIDC with ENVIRONMENT:{environment} does not take TOKEN_RESOURCE.");
        }

        if (environment is "test" or "k8s" && username is not null)
        {
            throw Error($"MONGODB-OIDC with ENVIRONMENT:{environment} does not take a user name.");
        }
    }

    private static void RequireUsername(string? username, string mechanism)
    {
        if (string.IsNullOrEmpty(username))
        {
            throw Error($"{Capitalize(mechanism)} needs a non-empty user name.");
        }
    }

    private static void ForbidPassword(string? password, string mechanism)
    {
        if (password is not null)
        {
            throw Error($"{mechanism} does not take a password.");
        }
    }

    private static void ForbidProperties(IReadOnlyDictionary<string, string> properties, string mechanism)
    {
        if (properties.Count > 0)
        {
            throw Error($"{Capitalize(mechanism)} does not take authMechanismProperties.");
        }
    }

    private static void AllowOnly(IReadOnlyDictionary<string, string> properties, string[] allowed, string mechanism)
    {
        foreach (var key in properties.Keys)
        {
            if (!allowed.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw Error($"{mechanism} does not support the mechanism property '{key}'; supported: {string.Join(", ", allowed)}.");
            }
        }
    }

    private static string RequireExternal(string? source, string mechanism)
    {
        if (source is not null && source != "$external")
        {
            throw Error($"{mechanism} authenticates against '$external'; authSource cannot be '{source}'.");
        }

        return "$external";
    }

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static MongoConnectionStringException Error(string message) => new(message);
}
