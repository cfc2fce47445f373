using DistributedSync.Bson;

namespace DistributedSync.Mongo;

/// <summary>
/// The server answered a command with <c>ok: 0</c>. <see cref="Code"/> and
/// <see cref="CodeName"/> identify the error (e.g. 26 <c>NamespaceNotFound</c>, 50
/// <c>MaxTimeMSExpired</c>, 43 <c>CursorNotFound</c>); <see cref="Reply"/> is the whole reply.
/// </summary>
public class MongoCommandException : MongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoCommandException(string commandName, int code, string codeName, string errorMessage, BsonDocument reply, IEnumerable<string>? errorLabels = null)
        : base(FormatMessage(commandName, code, codeName, errorMessage), null, errorLabels)
    {
        CommandName = commandName;
        Code = code;
        CodeName = codeName;
        ErrorMessage = errorMessage;
        Reply = reply;
    }

    /// <summary>The name of the command that failed (its first field).</summary>
    public string CommandName { get; }

    /// <summary>The server's numeric error code (0 when the reply had none).</summary>
    public int Code { get; }

    /// <summary>The server's name for the code, or an empty string when the reply had none.</summary>
    public string CodeName { get; }

    /// <summary>The server's <c>errmsg</c>.</summary>
    public string ErrorMessage { get; }

    /// <summary>The full reply document.</summary>
    public BsonDocument Reply { get; }

    /// <summary>Builds the exception a failed reply (<c>ok</c> not 1) stands for.</summary>
    internal static MongoCommandException FromReply(string commandName, BsonDocument reply)
    {
        var code = reply.GetValueOrDefault("code") is { IsNumeric: true } c ? (int)c.ToInt64() : 0;
        var codeName = reply.GetValueOrDefault("codeName") is BsonString cn ? cn.Value : string.Empty;
        var errmsg = reply.GetValueOrDefault("errmsg") is BsonString m ? m.Value : "command failed";
        return new MongoCommandException(commandName, code, codeName, errmsg, reply, ReadLabels(reply));
    }

    /// <summary>The strings of an <c>errorLabels</c> array, if any.</summary>
    internal static IEnumerable<string> ReadLabels(BsonDocument document)
        => document.GetValueOrDefault("errorLabels") is BsonArray labels
            ? labels.OfType<BsonString>().Select(s => s.Value)
            : [];

    private static string FormatMessage(string commandName, int code, string codeName, string errorMessage)
    {
        var name = codeName.Length > 0 ? $" ({codeName})" : string.Empty;
        return $"Command {commandName} failed with code {code}{name}: {errorMessage}";
    }
}
