using System.Security.Cryptography;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Auth;

/// <summary>
/// A stored SCRAM credential, as mongod keeps it under <c>credentials.SCRAM-SHA-*</c> of a user
/// document: the salt, the iteration count, StoredKey = H(ClientKey) and ServerKey (base64).
/// The password itself is never kept.
/// </summary>
/// <param name="Algorithm">The SCRAM variant.</param>
/// <param name="IterationCount">PBKDF2 iterations.</param>
/// <param name="Salt">The salt.</param>
/// <param name="StoredKey">H(HMAC(SaltedPassword, "Client Key")).</param>
/// <param name="ServerKey">HMAC(SaltedPassword, "Server Key").</param>
public sealed record ScramCredential(ScramAlgorithm Algorithm, int IterationCount, byte[] Salt, byte[] StoredKey, byte[] ServerKey)
{
    /// <summary>Derives a credential for <paramref name="user"/> with a fresh random salt.</summary>
    public static ScramCredential Create(ScramAlgorithm algorithm, string user, string password, int? iterations = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var salt = RandomNumberGenerator.GetBytes(algorithm.SaltLength);
        return Derive(algorithm, user, password, salt, iterations ?? algorithm.DefaultIterations);
    }

    /// <summary>Derives the credential for a given salt and iteration count.</summary>
    public static ScramCredential Derive(ScramAlgorithm algorithm, string user, string password, byte[] salt, int iterations)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var salted = algorithm.SaltedPassword(algorithm.PreparePassword(user, password), salt, iterations);
        var clientKey = algorithm.Hmac(salted, "Client Key");
        return new ScramCredential(algorithm, iterations, salt, algorithm.Digest(clientKey), algorithm.Hmac(salted, "Server Key"));
    }

    /// <summary>True when <paramref name="password"/> yields this credential.</summary>
    public bool Matches(string user, string password)
    {
        var other = Derive(Algorithm, user, password, Salt, IterationCount);
        return CryptographicOperations.FixedTimeEquals(other.StoredKey, StoredKey)
            && CryptographicOperations.FixedTimeEquals(other.ServerKey, ServerKey);
    }

    /// <summary>The stored form: <c>{iterationCount, salt, storedKey, serverKey}</c>.</summary>
    public BsonDocument ToDocument() => new()
    {
        { "iterationCount", IterationCount },
        { "salt", Convert.ToBase64String(Salt) },
        { "storedKey", Convert.ToBase64String(StoredKey) },
        { "serverKey", Convert.ToBase64String(ServerKey) },
    };

    /// <summary>Reads the stored form; null when it is malformed.</summary>
    public static ScramCredential? FromDocument(ScramAlgorithm algorithm, BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            if (document.GetValueOrDefault("iterationCount") is not { IsNumeric: true } iterations
                || document.GetValueOrDefault("salt") is not BsonString salt
                || document.GetValueOrDefault("storedKey") is not BsonString storedKey
                || document.GetValueOrDefault("serverKey") is not BsonString serverKey)
            {
                return null;
            }

            return new ScramCredential(
                algorithm,
                (int)iterations.ToInt64(),
                Convert.FromBase64String(salt.Value),
                Convert.FromBase64String(storedKey.Value),
                Convert.FromBase64String(serverKey.Value));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
