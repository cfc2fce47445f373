using DistributedSync.Bson;

namespace DistributedSync.Emulator;

/// <summary>
/// A command failure with mongod's numeric code and code name. The server turns it into a
/// reply <c>{ok: 0, errmsg, code, codeName, ...Extra}</c>.
/// </summary>
public sealed class ServerErrorException : Exception
{
    /// <summary>Creates the error.</summary>
    public ServerErrorException(int code, string message, BsonDocument? extra = null)
        : base(message)
    {
        Code = code;
        Extra = extra;
    }

    /// <summary>mongod's error code.</summary>
    public int Code { get; }

    /// <summary>mongod's code name for <see cref="Code"/>.</summary>
    public string CodeName => ErrorCodes.NameOf(Code);

    /// <summary>Extra reply fields (e.g. keyPattern and keyValue of a duplicate key).</summary>
    public BsonDocument? Extra { get; }
}

/// <summary>The mongod error codes the emulator raises.</summary>
public static class ErrorCodes
{
#pragma warning disable CS1591 // The names are mongod's code names.
    public const int InternalError = 1;
    public const int BadValue = 2;
    public const int NoSuchKey = 4;
    public const int FailedToParse = 9;
    public const int Unauthorized = 13;
    public const int TypeMismatch = 14;
    public const int AuthenticationFailed = 18;
    public const int IllegalOperation = 20;
    public const int NamespaceNotFound = 26;
    public const int IndexNotFound = 27;
    public const int ConflictingUpdateOperators = 40;
    public const int CursorNotFound = 43;
    public const int NamespaceExists = 48;
    public const int MaxTimeMSExpired = 50;
    public const int DollarPrefixedFieldName = 52;
    public const int InvalidIdField = 53;
    public const int CommandNotFound = 59;
    public const int ImmutableField = 66;
    public const int InvalidOptions = 72;
    public const int InvalidNamespace = 73;
    public const int IndexOptionsConflict = 85;
    public const int IndexKeySpecsConflict = 86;
    public const int CappedPositionLost = 136;
    public const int IndexAlreadyExists = 68;
    public const int Location40324 = 40324;
    public const int DuplicateKey = 11000;
    public const int ProtocolError = 17;
    public const int OperationFailed = 96;
    public const int ClientMetadataCannotBeMutated = 186;
    public const int MechanismUnavailable = 334;
    public const int UnsupportedOpQueryCommand = 352;
    public const int InterruptedAtShutdown = 11600;
    public const int IdlMissingField = 40414;
    public const int IdlUnknownField = 40415;
    public const int OpMsgMissingDatabase = 40571;
    public const int DuplicateSequenceField = 40433;
    public const int LegacyOpcodeRemoved = 5739101;
    public const int InvalidLength = 16;
    public const int CannotCreateIndex = 67;
    public const int QueryPlanKilled = 175;
    public const int InvalidIndexSpecificationOption = 197;
    public const int NotImplemented = 238;
    public const int CursorInUse = 292;
    public const int CursorKilled = 237;
#pragma warning restore CS1591

    /// <summary>The code name mongod reports for <paramref name="code"/>.</summary>
    public static string NameOf(int code) => code switch
    {
        InternalError => "InternalError",
        BadValue => "BadValue",
        NoSuchKey => "NoSuchKey",
        FailedToParse => "FailedToParse",
        Unauthorized => "Unauthorized",
        TypeMismatch => "TypeMismatch",
        AuthenticationFailed => "AuthenticationFailed",
        IllegalOperation => "IllegalOperation",
        NamespaceNotFound => "NamespaceNotFound",
        IndexNotFound => "IndexNotFound",
        ConflictingUpdateOperators => "ConflictingUpdateOperators",
        CursorNotFound => "CursorNotFound",
        NamespaceExists => "NamespaceExists",
        MaxTimeMSExpired => "MaxTimeMSExpired",
        DollarPrefixedFieldName => "DollarPrefixedFieldName",
        InvalidIdField => "InvalidIdField",
        CommandNotFound => "CommandNotFound",
        ImmutableField => "ImmutableField",
        IndexAlreadyExists => "IndexAlreadyExists",
        InvalidOptions => "InvalidOptions",
        InvalidNamespace => "InvalidNamespace",
        IndexOptionsConflict => "IndexOptionsConflict",
        IndexKeySpecsConflict => "IndexKeySpecsConflict",
        CappedPositionLost => "CappedPositionLost",
        DuplicateKey => "DuplicateKey",
        ProtocolError => "ProtocolError",
        OperationFailed => "OperationFailed",
        ClientMetadataCannotBeMutated => "ClientMetadataCannotBeMutated",
        MechanismUnavailable => "MechanismUnavailable",
        UnsupportedOpQueryCommand => "UnsupportedOpQueryCommand",
        InterruptedAtShutdown => "InterruptedAtShutdown",
        InvalidLength => "InvalidLength",
        CannotCreateIndex => "CannotCreateIndex",
        QueryPlanKilled => "QueryPlanKilled",
        InvalidIndexSpecificationOption => "InvalidIndexSpecificationOption",
        NotImplemented => "NotImplemented",
        CursorInUse => "CursorInUse",
        CursorKilled => "CursorKilled",
        _ => Query.QueryErrorCodes.NameOf(code),
    };
}
