using DistributedSync.Bson;

namespace DistributedSync.Emulator.Commands.Admin;

/// <summary>
/// <c>getLog</c>: <c>"*"</c> lists the log names; <c>"global"</c> returns the most recent log
/// lines (up to 1024) and <c>"startupWarnings"</c> the warnings logged at start, each as the
/// JSON text of the line.
/// </summary>
public sealed class GetLogCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "getLog";

    /// <inheritdoc />
    public bool AdminOnly => true;

    /// <inheritdoc />
    public string Help => "{ getLog : '*' }  OR { getLog : 'global' }";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.CommandValue is not BsonString name)
        {
            throw new ServerErrorException(ErrorCodes.TypeMismatch, $"Argument to getLog must be of type String; found {context.CommandValue} of type {CommandContext.TypeName(context.CommandValue)}");
        }

        var log = context.Log;
        IReadOnlyList<string> lines;
        long total;
        switch (name.Value)
        {
            case "*":
                return ValueTask.FromResult(new BsonDocument("names", new BsonArray { "global", "startupWarnings" }));
            case "global":
                lines = log.RecentLines();
                total = log.TotalLinesWritten;
                break;
            case "startupWarnings":
                lines = log.StartupWarnings();
                total = lines.Count;
                break;
            default:
                throw new ServerErrorException(ErrorCodes.OperationFailed, $"No log named '{name.Value}'");
        }

        return ValueTask.FromResult(new BsonDocument
        {
            { "totalLinesWritten", total <= int.MaxValue ? BsonInt32.Create((int)total) : new BsonInt64(total) },
            { "log", new BsonArray(lines.Select(l => (BsonValue)l)) },
        });
    }
}
