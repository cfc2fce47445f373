namespace DistributedSync.Mongo.Authentication;

/// <summary>
/// Authentication failed: the server rejected the credential, the server's messages were malformed
/// or unsafe (wrong nonce, too few iterations), or the server could not prove it knows the
/// password. Messages never include a password.
/// </summary>
public class MongoAuthenticationException : MongoException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public MongoAuthenticationException()
        : base("Authentication failed.", null)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public MongoAuthenticationException(string message)
        : base(message, null)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and the underlying cause.</summary>
    public MongoAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the mechanism that failed.</summary>
    public MongoAuthenticationException(string mechanism, string message, Exception? innerException = null)
        : base($"{mechanism} authentication failed: {message}", innerException)
        => Mechanism = mechanism;

    /// <summary>The mechanism that failed, when known (e.g. "SCRAM-SHA-256").</summary>
    public string? Mechanism { get; }
}
