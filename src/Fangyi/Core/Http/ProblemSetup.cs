using Microsoft.AspNetCore.Http.Features;

namespace Fangyi.Core.Http;

public static class ProblemSetup
{
    /// <summary>Every error leaves the host as problem details with a code; no stack trace ever does.</summary>
    public static WebApplicationBuilder AddFangyiProblems(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new NoNullItemsConverterFactory());
            json.SerializerOptions.Converters.Add(new NoNulCharactersConverter());
        });
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var details = context.ProblemDetails;
            if (details.Extensions.ContainsKey("code"))
            {
                return;
            }
            if (context.Exception is ApiProblemException { Problem: var raised })
            {
                var own = raised.ToDetails();
                details.Status = own.Status;
                details.Title = own.Title;
                details.Type = own.Type;
                details.Detail = own.Detail;
                details.Extensions.Remove("exception");
                details.Extensions["code"] = raised.Code;
                return;
            }
            var known = details.Status switch
            {
                400 => Problems.Validation,
                401 => Problems.Unauthenticated,
                403 => Problems.Forbidden,
                404 => Problems.NotFound,
                413 => Problems.PayloadTooLarge,
                429 => Problems.TooManyRequests,
                503 => Problems.Unavailable,
                _ => Problems.Internal,
            };
            details.Title = known.Title;
            details.Type = $"https://fangyi.example/problems/{known.Code}";
            details.Extensions["code"] = known.Code;
            details.Extensions.Remove("exception");
            if (context.Exception is BadHttpRequestException bad)
            {
                details.Status = bad.StatusCode;
                context.HttpContext.Response.StatusCode = bad.StatusCode;
                var mapped = bad.StatusCode == 413 ? Problems.PayloadTooLarge : Problems.Validation;
                details.Title = mapped.Title;
                details.Extensions["code"] = mapped.Code;
            }
            else if (context.Exception is not null)
            {
                details.Detail = null;
            }
        });
        return builder;
    }

    public static WebApplication UseFangyiProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                ApiProblemException raised => raised.Problem.Status,
                Ingest.IngestUnavailableException => 503,
                _ => 500,
            },
        });
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Reads the size limit a route set, or the host default, for messages that name it.</summary>
    public static long? MaxBodySize(this HttpContext context) => context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
}
