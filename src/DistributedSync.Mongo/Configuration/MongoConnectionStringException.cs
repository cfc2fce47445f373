namespace DistributedSync.Mongo.Configuration;

/// <summary>
/// A connection string could not be parsed or breaks a rule of MongoDB's connection-string, URI
/// options or auth specifications. The message names the problem and never contains a password
/// (any text that may be one is shown as <c>****</c>).
/// </summary>
public class MongoConnectionStringException : FormatException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public MongoConnectionStringException()
        : base("The connection string is invalid.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> (which must already be redacted).</summary>
    public MongoConnectionStringException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and the underlying cause.</summary>
    public MongoConnectionStringException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
