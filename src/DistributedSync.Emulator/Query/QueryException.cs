using System.Globalization;

namespace DistributedSync.Emulator.Query;

/// <summary>
/// An invalid filter, update, projection, sort or pipeline (or an update that cannot be applied
/// to a document), with mongod's error code, code name and message wording. The server layer
/// turns it into a command error.
/// </summary>
public sealed class QueryException : Exception
{
    /// <summary>Creates the error; the code name is looked up from <paramref name="code"/>.</summary>
    public QueryException(int code, string message)
        : base(message)
    {
        Code = code;
        CodeName = QueryErrorCodes.NameOf(code);
    }

    /// <summary>mongod's numeric error code.</summary>
    public int Code { get; }

    /// <summary>mongod's code name (e.g. "BadValue", or "Location40324" for unnamed codes).</summary>
    public string CodeName { get; }

    internal static QueryException BadValue(string message) => new(QueryErrorCodes.BadValue, message);

    internal static QueryException FailedToParse(string message) => new(QueryErrorCodes.FailedToParse, message);

    internal static QueryException TypeMismatch(string message) => new(QueryErrorCodes.TypeMismatch, message);
}

/// <summary>The mongod error codes the query engine raises, with their code names.</summary>
public static class QueryErrorCodes
{
#pragma warning disable CS1591 // The names are mongod's code names.
    public const int BadValue = 2;
    public const int FailedToParse = 9;
    public const int TypeMismatch = 14;
    public const int Overflow = 15;
    public const int IndexNotFound = 27;
    public const int PathNotViable = 28;
    public const int InvalidPath = 30;
    public const int CannotBackfillArray = 34;
    public const int ConflictingUpdateOperators = 40;
    public const int DollarPrefixedFieldName = 52;
    public const int InvalidIdField = 53;
    public const int NotSingleValueField = 54;
    public const int EmptyFieldName = 56;
    public const int DottedFieldName = 57;
    public const int ImmutableField = 66;
    public const int InvalidOptions = 72;
    public const int InvalidPipelineOperator = 168;
#pragma warning restore CS1591

    /// <summary>The code name mongod reports for <paramref name="code"/>.</summary>
    public static string NameOf(int code) => code switch
    {
        BadValue => "BadValue",
        FailedToParse => "FailedToParse",
        TypeMismatch => "TypeMismatch",
        Overflow => "Overflow",
        IndexNotFound => "IndexNotFound",
        PathNotViable => "PathNotViable",
        InvalidPath => "InvalidPath",
        CannotBackfillArray => "CannotBackfillArray",
        ConflictingUpdateOperators => "ConflictingUpdateOperators",
        DollarPrefixedFieldName => "DollarPrefixedFieldName",
        InvalidIdField => "InvalidIdField",
        NotSingleValueField => "NotSingleValueField",
        EmptyFieldName => "EmptyFieldName",
        DottedFieldName => "DottedFieldName",
        ImmutableField => "ImmutableField",
        InvalidOptions => "InvalidOptions",
        InvalidPipelineOperator => "InvalidPipelineOperator",
        _ => "Location" + code.ToString(CultureInfo.InvariantCulture),
    };
}
