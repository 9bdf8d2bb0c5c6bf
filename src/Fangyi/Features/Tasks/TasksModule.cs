using Fangyi.Core.Http;
using Fangyi.Core.Ingest;
using Fangyi.Core.Modules;

namespace Fangyi.Features.Tasks;

/// <summary>
/// The village worker's to-do list (待办任务): per-person tasks of every kind, routed to the village of the person's
/// residence, rising to the township and county when overdue; the village app (/village) and the console's task page.
/// Other capabilities open and close tasks through <see cref="TaskBoard"/>.
/// </summary>
public sealed class TasksModule : FangyiModule
{
    public override string Name => "Tasks";

    public override void Add(WebApplicationBuilder builder)
    {
        builder.Services.AddTasksPolicies();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Fangyi:Tasks").Get<TaskOptions>() ?? new TaskOptions());
        builder.Services.AddSingleton<IIngestHandler, TaskMarkHandler>();
        builder.Services.AddSingleton<Core.Timeline.ITimelineSource, TasksTimeline>();
    }

    public override void Map(WebApplication app)
    {
        app.MapTasks();
        // The village worker's phone app, a sibling of the sampler's sharing its modules (session, outbox, banner).
        app.MapAppShell("/village", "village/index.html");
    }

    public override IEnumerable<(string Role, string Path)> Landings => [(Core.Jurisdiction.Roles.VillageWorker, "/village")];

    public override IEnumerable<MenuItem> Menu =>
    [
        new(1, 35, "待办任务", "/tasks", TasksPolicies.Work),
    ];
}
