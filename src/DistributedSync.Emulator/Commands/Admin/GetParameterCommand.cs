using DistributedSync.Bson;
using DistributedSync.Emulator.Auth;
using DistributedSync.Emulator.Server;

namespace DistributedSync.Emulator.Commands.Admin;

/// <summary>
/// <c>getParameter</c>: <c>{getParameter: "*"}</c> (or <c>{allParameters: true}</c>) lists every
/// parameter the emulator knows; otherwise each other field names one. <c>showDetails</c> wraps
/// each value as <c>{value, settableAtRuntime, settableAtStartup}</c>. Asking only for unknown
/// names fails with "no option found to get", as in mongod.
/// </summary>
public sealed class GetParameterCommand : ICommandHandler
{
    private static readonly HashSet<string> NotParameters = new(StringComparer.Ordinal)
    {
        "getParameter", "$db", "lsid", "$clusterTime", "$readPreference", "apiVersion", "apiStrict",
        "apiDeprecationErrors", "comment", "maxTimeMS", "readConcern", "writeConcern", "txnNumber", "autocommit", "startTransaction",
    };

    /// <inheritdoc />
    public string Name => "getParameter";

    /// <inheritdoc />
    public bool AdminOnly => true;

    /// <inheritdoc />
    public string Help => "get administrative option(s)\nexample:\n{ getParameter:1, notablescan:1 }\npass a document as the value for getParameter to request options\nexample:\n{ getParameter:{showDetails: true}, notablescan:1 }";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var argument = context.CommandValue;
        var all = argument is BsonString { Value: "*" };
        var details = false;
        if (argument is BsonDocument options)
        {
            all = options.GetValueOrDefault("allParameters")?.ToBoolean() ?? false;
            details = options.GetValueOrDefault("showDetails")?.ToBoolean() ?? false;
        }

        var reply = new BsonDocument();
        foreach (var (name, value, runtime) in Parameters(context.Server))
        {
            if (all || (!NotParameters.Contains(name) && context.Command.Contains(name)))
            {
                reply.Add(name, details
                    ? new BsonDocument { { "value", value }, { "settableAtRuntime", runtime }, { "settableAtStartup", true } }
                    : value);
            }
        }

        if (reply.Count == 0)
        {
            throw new ServerErrorException(ErrorCodes.InvalidOptions, "no option found to get");
        }

        return ValueTask.FromResult(reply);
    }

    private static IEnumerable<(string Name, BsonValue Value, bool Runtime)> Parameters(ServerState server)
    {
        yield return ("authenticationMechanisms", new BsonArray(ScramAlgorithm.All.Select(a => (BsonValue)a.Mechanism)), false);
        yield return ("cursorTimeoutMillis", new BsonInt64(600_000), true);
        yield return ("featureCompatibilityVersion", new BsonDocument("version", ServerVersion.FeatureCompatibilityVersion), false);
        yield return ("localLogicalSessionTimeoutMinutes", ServerVersion.LogicalSessionTimeoutMinutes, false);
        yield return ("logLevel", 0, true);
        yield return ("maxBSONDepth", 200, false);
        yield return ("notablescan", false, true);
        yield return ("quiet", server.Log.Quiet, true);
        yield return ("scramIterationCount", ScramAlgorithm.Sha1.DefaultIterations, true);
        yield return ("scramSHA256IterationCount", ScramAlgorithm.Sha256.DefaultIterations, true);
        yield return ("transactionLifetimeLimitSeconds", 60, true);
        yield return ("ttlMonitorEnabled", true, true);
    }
}
