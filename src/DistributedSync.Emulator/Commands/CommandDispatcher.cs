using System.Diagnostics;
using System.Reflection;
using DistributedSync.Bson;
using DistributedSync.Emulator.Query;
using DistributedSync.Emulator.Server;

namespace DistributedSync.Emulator.Commands;

/// <summary>
/// Finds the handler of each command by name and runs it with mongod's checks and reply shape:
/// unknown command (59), admin-only command elsewhere (13), unauthenticated client under
/// <c>--auth</c> (13); success replies end with <c>ok: 1.0</c>, failures are
/// <c>{ok: 0.0, errmsg, code, codeName, ...extra}</c>. Thread-safe once built.
/// </summary>
public sealed class CommandDispatcher
{
    private readonly Dictionary<string, ICommandHandler> _byName = new(StringComparer.Ordinal);
    private readonly List<ICommandHandler> _handlers = [];

    /// <summary>Creates a dispatcher with the given handlers.</summary>
    /// <exception cref="InvalidOperationException">Two handlers claim the same name.</exception>
    public CommandDispatcher(IEnumerable<ICommandHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        foreach (var handler in handlers)
        {
            Register(handler);
        }
    }

    /// <summary>The registered handlers, in registration order.</summary>
    public IReadOnlyList<ICommandHandler> Handlers => _handlers;

    /// <summary>A dispatcher with every handler of the emulator assembly (see <see cref="DiscoverHandlers"/>).</summary>
    public static CommandDispatcher CreateDefault() => new(DiscoverHandlers(typeof(CommandDispatcher).Assembly));

    /// <summary>
    /// Instances of every public or internal, non-abstract class of <paramref name="assembly"/> that
    /// implements <see cref="ICommandHandler"/> and has a public parameterless constructor, ordered
    /// by name.
    /// </summary>
    public static IEnumerable<ICommandHandler> DiscoverHandlers(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false }
                && typeof(ICommandHandler).IsAssignableFrom(t)
                && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (ICommandHandler)Activator.CreateInstance(t)!)
            .ToList();
    }

    /// <summary>
    /// Adds a handler under its name and aliases. Register before the server serves requests
    /// (lookups are not synchronised with registration).
    /// </summary>
    /// <exception cref="InvalidOperationException">A name is already taken.</exception>
    public void Register(ICommandHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        foreach (var name in handler.Aliases.Prepend(handler.Name))
        {
            if (_byName.TryGetValue(name, out var existing))
            {
                throw new InvalidOperationException($"The command name '{name}' of {handler.GetType().Name} is already taken by {existing.GetType().Name}.");
            }
        }

        foreach (var name in handler.Aliases.Prepend(handler.Name))
        {
            _byName.Add(name, handler);
        }

        _handlers.Add(handler);
    }

    /// <summary>The handler registered under <paramref name="name"/> (exact, case-sensitive), or null.</summary>
    public ICommandHandler? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Runs the command of <paramref name="context"/> and returns the complete reply body,
    /// <c>ok</c> included. Never throws for command failures (only for cancellation of
    /// <paramref name="cancellationToken"/>).
    /// </summary>
    public async ValueTask<BsonDocument> DispatchAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var handler = Find(context.CommandName)
                ?? throw new ServerErrorException(ErrorCodes.CommandNotFound, $"no such command: '{context.CommandName}'");
            Authorize(handler, context);
            Count(handler, context.Server.Counters);
            var reply = await handler.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
            if (!reply.Contains("ok"))
            {
                reply.Add("ok", 1.0);
            }

            LogIfSlow(context, started);
            return reply;
        }
        catch (ServerErrorException ex)
        {
            return ErrorReply(ex.Code, ex.CodeName, ex.Message, ex.Extra);
        }
        catch (QueryException ex)
        {
            return ErrorReply(ex.Code, ex.CodeName, ex.Message, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure of a handler becomes an InternalError reply, as mongod does.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            context.Log.Error("COMMAND", 21962, context.Connection.Name, "Assertion while executing command", new BsonDocument
            {
                { "command", context.CommandName },
                { "db", context.DatabaseName },
                { "error", ex.GetType().Name + ": " + ex.Message },
                { "stack", ex.StackTrace ?? string.Empty },
            });
            return ErrorReply(ErrorCodes.InternalError, ErrorCodes.NameOf(ErrorCodes.InternalError), ex.Message, null);
        }
    }

    /// <summary>mongod's error reply: <c>{ok: 0.0, errmsg, code, codeName, ...extra}</c>.</summary>
    public static BsonDocument ErrorReply(int code, string codeName, string message, BsonDocument? extra = null)
    {
        var reply = new BsonDocument
        {
            { "ok", 0.0 },
            { "errmsg", message },
            { "code", code },
            { "codeName", codeName },
        };
        if (extra is not null)
        {
            foreach (var element in extra)
            {
                reply.Set(element.Name, element.Value);
            }
        }

        return reply;
    }

    private static void Authorize(ICommandHandler handler, CommandContext context)
    {
        if (handler.AdminOnly && !string.Equals(context.DatabaseName, "admin", StringComparison.Ordinal))
        {
            throw new ServerErrorException(ErrorCodes.Unauthorized, $"{handler.Name} may only be run against the admin database.");
        }

        if (context.Server.AuthEnabled && handler.RequiresAuthentication && !context.Connection.IsAuthenticated)
        {
            throw new ServerErrorException(ErrorCodes.Unauthorized, $"command {handler.Name} requires authentication");
        }
    }

    private static void Count(ICommandHandler handler, ServerCounters counters)
    {
        switch (handler.Name)
        {
            case "find":
                counters.RecordQuery();
                break;
            case "getMore":
                counters.RecordGetMore();
                break;
            case "insert" or "update" or "delete":
                // The write handlers count documents and statements themselves.
                break;
            default:
                counters.RecordCommand();
                break;
        }
    }

    private static void LogIfSlow(CommandContext context, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed.TotalMilliseconds < 100 || context.Log.Quiet)
        {
            return;
        }

        context.Log.Info("COMMAND", 51803, context.Connection.Name, "Slow query", new BsonDocument
        {
            { "type", "command" },
            { "ns", context.DatabaseName + ".$cmd" },
            { "command", context.CommandName },
            { "durationMillis", (long)elapsed.TotalMilliseconds },
        });
    }
}
