using Fangyi.Core.Ingest;
using Fangyi.Features.Residents;

namespace Fangyi.Features.Sampling;

/// <summary>A sampler adds a person to an open tube (扫码登记); a second sample of the round is accepted and flagged.</summary>
public sealed record AddPerson(string Tube, PersonRef Person) : Scan
{
    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (tube, problem) = await intake.CodeAsync(request.Tube, CodeType.Tube, ct);
        PersonRef? person = null;
        if (problem is null)
        {
            (person, problem) = intake.Person(request.Person, request.DocType, request.Name, request.Phone);
        }
        return new(problem is null ? new AddPerson(tube, person!) : null, tube, problem);
    }

    internal override void Need(SamplingNeeds needs, PendingItem item)
    {
        needs.Tubes.Add(Tube);
        needs.People.Add((Person, Tube, item));
    }

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.TubeFor(item, this, ScanKinds.AddPerson, Tube, out var tube, out var box))
        {
            return;
        }
        if (tube.People >= tube.Capacity)
        {
            item.Refuse(SamplingProblems.TubeFull);
            return;
        }
        var person = s.Find(Person);
        if (person is null)
        {
            // An identity number the registry does not know, sent without a name: the sampler asks for name and phone.
            item.Refuse(Person.Unregistered is null ? SamplingProblems.PersonUnknown : SamplingProblems.PersonNotRegistered);
            return;
        }
        if (!s.InTube.Add((tube.Code, person.Id)))
        {
            item.Refuse(SamplingProblems.PersonInTube);
            return;
        }
        var at = item.Item.At;
        var repeat = !s.SampledInRound.Add((tube.RoundId, person.Id));
        tube.Samples.Add(new SampleRow
        {
            TubeCode = tube.Code, ResidentId = person.Id, Division = person.Division, RoundId = tube.RoundId,
            SampledAt = at, RepeatInRound = repeat, IsNew = true,
        });
        s.Sampled.Add(new Tasks.TaskBoard.Sampled(person.Id, tube.RoundId, SingleTube: tube.Capacity == 1));
        tube.People++;
        tube.Dirty = true;
        box.People++;
        box.Dirty = true;
        item.Note(new PersonSampled(tube.RoundId, tube.Division, person.Division, at, FirstInRound: !repeat));
        item.Accept(new PersonAdded(tube.Code, (int)tube.People, (int)tube.Capacity, tube.People == tube.Capacity, repeat, person.Id, ResidentRules.MaskName(person.Name), person.IdMasked), 201);
    }
}
