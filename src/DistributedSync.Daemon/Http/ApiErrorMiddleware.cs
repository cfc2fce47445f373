using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Http;

/// <summary>
/// Turns every failure into a JSON <c>{error, message}</c> response: <see cref="ApiException"/>
/// (the request is refused), <see cref="SyncEngineException"/> (the engine refused or cannot
/// serve it), Kestrel's body errors (413), unmatched routes (404/405) and anything unexpected
/// (500, logged with the exception; the client sees no details).
/// </summary>
public sealed class ApiErrorMiddleware
{
    /// <summary>The <c>Retry-After</c> sent with 503 responses when the engine gives none.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The <see cref="HttpContext.Items"/> key under which an endpoint leaves a <see cref="BsonDocument"/>
    /// of fields to add to its error response (e.g. a POST's <c>insertedIds</c>).
    /// </summary>
    public static readonly object ErrorFieldsKey = new();

    private readonly RequestDelegate _next;
    private readonly ILogger _logger;

    /// <summary>Creates the middleware.</summary>
    public ApiErrorMiddleware(RequestDelegate next, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _next = next;
        _logger = loggerFactory.CreateLogger("DistributedSync.Daemon.Http");
    }

    /// <summary>Runs the rest of the pipeline.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await _next(context).ConfigureAwait(false);
            if (!context.Response.HasStarted && context.Response.StatusCode is 404 or 405)
            {
                var (error, message) = context.Response.StatusCode == 404
                    ? (ApiErrors.NotFound, $"No route matches {context.Request.Method} {context.Request.Path}.")
                    : (ApiErrors.MethodNotAllowed, $"{context.Request.Method} is not supported on {context.Request.Path}.");
                await RespondAsync(context, context.Response.StatusCode, error, message).ConfigureAwait(false);
            }
        }
        catch (ApiException ex) when (!context.Response.HasStarted)
        {
            await RespondAsync(context, ex.StatusCode, ex.Error, ex.Message, ErrorFields(context)).ConfigureAwait(false);
        }
        catch (SyncEngineException ex) when (!context.Response.HasStarted)
        {
            await RespondAsync(context, ex).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var (error, message) = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? (ApiErrors.PayloadTooLarge, "The request body is larger than the limit (DistributedSync:Http:MaxRequestBodyBytes).")
                : (ApiErrors.BadRequest, ex.Message);
            await RespondAsync(context, ex.StatusCode, error, message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            _logger.RequestFailed(context.Request.Method, context.Request.Path, ex);
            context.Response.Clear();
            await ApiResponses.WriteErrorAsync(context, 500, ApiErrors.InternalError, "The request failed unexpectedly; the daemon's log has the details.").ConfigureAwait(false);
        }
    }

    private Task RespondAsync(HttpContext context, SyncEngineException ex)
    {
        var (status, error) = ex.Kind switch
        {
            SyncErrorKind.NoMaster => (503, ApiErrors.NoMaster),
            SyncErrorKind.WriteConcernFailed => (503, ApiErrors.WriteConcernFailed),
            SyncErrorKind.NoEligibleNode => (503, ApiErrors.NoEligibleNode),
            SyncErrorKind.DuplicateKey => (409, ApiErrors.DuplicateKey),
            _ => (400, ApiErrors.BadValue),
        };
        context.Response.Clear();
        if (status == 503)
        {
            ApiResponses.SetRetryAfter(context.Response, ex.RetryAfter ?? DefaultRetryAfter);
        }

        var extra = ErrorFields(context);
        if (ex.Position is { } position)
        {
            extra ??= [];
            extra.Add("position", ApiResponses.Position(position));
        }

        Log(context, status, error, ex.Message);
        return ApiResponses.WriteErrorAsync(context, status, error, ex.Message, extra);
    }

    private Task RespondAsync(HttpContext context, int status, string error, string message, BsonDocument? extra = null)
    {
        context.Response.Clear();
        Log(context, status, error, message);
        return ApiResponses.WriteErrorAsync(context, status, error, message, extra);
    }

    private static BsonDocument? ErrorFields(HttpContext context)
        => context.Items.TryGetValue(ErrorFieldsKey, out var fields) && fields is BsonDocument document ? document : null;

    private void Log(HttpContext context, int status, string error, string message)
    {
        if (status >= 500)
        {
            _logger.RequestUnavailable(context.Request.Method, context.Request.Path, status, error, message);
        }
        else
        {
            _logger.RequestRejected(context.Request.Method, context.Request.Path, status, error, message);
        }
    }
}
