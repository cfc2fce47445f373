namespace DistributedSync.Daemon.Http;

/// <summary>
/// A request the API refuses before it reaches the engine; written as <c>{error, message}</c>
/// with <see cref="StatusCode"/>.
/// </summary>
public sealed class ApiException : Exception
{
    /// <summary>Creates a 400 <c>badRequest</c>.</summary>
    public ApiException()
        : this(400, ApiErrors.BadRequest, "The request is not valid.")
    {
    }

    /// <summary>Creates a 400 <c>badRequest</c> with <paramref name="message"/>.</summary>
    public ApiException(string message)
        : this(400, ApiErrors.BadRequest, message)
    {
    }

    /// <summary>Creates a 400 <c>badRequest</c> with <paramref name="message"/> and a cause.</summary>
    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = 400;
        Error = ApiErrors.BadRequest;
    }

    /// <summary>Creates an error response.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="error">The machine-readable error code (see <see cref="ApiErrors"/>).</param>
    /// <param name="message">What is wrong, for people.</param>
    public ApiException(int statusCode, string error, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Error = error;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The machine-readable error code.</summary>
    public string Error { get; }

    /// <summary>400 for a malformed request part.</summary>
    public static ApiException BadRequest(string error, string message) => new(400, error, message);
}

/// <summary>The <c>error</c> codes of error responses.</summary>
public static class ApiErrors
{
    /// <summary>400: something else about the request is wrong.</summary>
    public const string BadRequest = "badRequest";

    /// <summary>400: the body is missing, not JSON, or not the expected shape.</summary>
    public const string InvalidBody = "invalidBody";

    /// <summary>400: a query parameter is unknown, repeated, or has a bad value.</summary>
    public const string InvalidParameter = "invalidParameter";

    /// <summary>400: the document id in the path cannot be an <c>_id</c>.</summary>
    public const string InvalidId = "invalidId";

    /// <summary>400: the collection name in the path is not allowed.</summary>
    public const string InvalidCollectionName = "invalidCollectionName";

    /// <summary>400: a document or update breaks MongoDB's rules (field names, <c>_id</c>, operators).</summary>
    public const string InvalidDocument = "invalidDocument";

    /// <summary>400: the engine refused a value.</summary>
    public const string BadValue = "badValue";

    /// <summary>404: no such document, key or route.</summary>
    public const string NotFound = "notFound";

    /// <summary>405: the route exists but not for this method.</summary>
    public const string MethodNotAllowed = "methodNotAllowed";

    /// <summary>409: a document with the same <c>_id</c> exists.</summary>
    public const string DuplicateKey = "duplicateKey";

    /// <summary>413: the body is larger than <c>DistributedSync:Http:MaxRequestBodyBytes</c>.</summary>
    public const string PayloadTooLarge = "payloadTooLarge";

    /// <summary>415: the body is not JSON.</summary>
    public const string UnsupportedMediaType = "unsupportedMediaType";

    /// <summary>503: no master is elected.</summary>
    public const string NoMaster = "noMaster";

    /// <summary>503: the write was applied on the master but not acknowledged by enough nodes in time.</summary>
    public const string WriteConcernFailed = "writeConcernFailed";

    /// <summary>503: no live node matches the read preference.</summary>
    public const string NoEligibleNode = "noEligibleNode";

    /// <summary>500: an unexpected failure (details are in the daemon's log).</summary>
    public const string InternalError = "internalError";
}
