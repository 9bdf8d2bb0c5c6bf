using System.Diagnostics;

namespace Fangyi.Core.Http;

public static class AccessLogSetup
{
    /// <summary>First in the pipeline, so that the status logged is the one sent, problems included.</summary>
    public static IApplicationBuilder UseAccessLog(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<AccessLog>();
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                log.Write(context.Request.Method, context.Request.Path.Value + context.Request.QueryString.Value, context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }
}
