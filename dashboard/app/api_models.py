"""The API's answers and queries as pydantic models: `api.py` builds every answer through them, and
/api/openapi.json is generated from their JSON Schema (`openapi`), so the description cannot drift
from the answers. Rows of the open-data tables take their fields, types and descriptions from
`opendata.TABLES`. Every model forbids fields it does not declare; a field that may be unknown is
left out of the answer rather than sent as null (`Maybe`)."""
from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from ..data.models import ATTRIBUTIONS
from ..data.opendata import TABLES
from ..data.store import STRENGTH_WORDS

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
MAX_TEXT = 200          # characters of a text search
MAX_VALUES = 50         # values of one filter
T = TypeVar("T")
Maybe = Annotated[T | None, Field(default=None, exclude_if=lambda v: v is None)]
Strength = Literal[tuple(STRENGTH_WORDS)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


_TYPES = {"string": str, "date": str, "integer": int, "boolean": bool, "array": list[str]}


def _model(name: str, base: type[BaseModel] = Model, **fields: Any) -> Any:
    """`base` with `fields` (name=type, each required) added."""
    return create_model(name, __base__=base, **{k: (v, ...) for k, v in fields.items()})


def _row(name: str, table: str, drop: tuple[str, ...] = (), **fields: Any) -> Any:
    """A model of one table's rows (less `drop`), with `fields` added."""
    cols = {c.name: (_TYPES[c.type] if c.required else Maybe[_TYPES[c.type]], Field(description=c.description))
            for c in TABLES[table].columns if c.name not in drop}
    return create_model(name, __base__=Model, __doc__=TABLES[table].description, **cols,
                        **{k: (v, ...) for k, v in fields.items()})


Dataset = _model("Dataset", version=str, date=str | None, sha256=str, software=str)  # cite it with the data
# W3C Web Annotation selectors over the source text (offsets in Unicode code points, end exclusive)
TextQuoteSelector = _model("TextQuoteSelector", type=Literal["TextQuoteSelector"], exact=str, prefix=str, suffix=str)
TextPositionSelector = _model("TextPositionSelector", type=Literal["TextPositionSelector"], start=int, end=int)


class Quote(Model):
    """A quote: who says what, where, about whose stance, anchored in its source by W3C Web Annotation selectors."""
    id: str
    organization: str
    topic: str
    tradition: str
    view: Literal["own", "counter"]
    position: str
    position_label: str
    attribution: Literal[ATTRIBUTIONS]
    speaker: str
    speaker_org: Maybe[str]
    text: str
    states: bool
    date: Maybe[str]
    note: Maybe[str]
    source: str
    source_title: str
    permalink: str
    selectors: tuple[TextQuoteSelector, TextPositionSelector]
    # one passage counted on several stances of the organization (issue 26): its other quotes' ids
    shared: list[str] = Field(default_factory=list, description="The same passage's quotes on the organization's "
                              "other stances (their ids, the quote as filed first); empty for most quotes")


Citation = _model("Citation", text=str, bibtex=str, accessed=str)
CitedQuote = _model("CitedQuote", Quote, citation=Citation)


class View(Model):
    """A critics' or observers' counter view of a stance."""
    position: str
    position_label: str
    summary: str
    reading: Maybe[str]


Counter = _model("Counter", View, quotes=list[Quote])
CounterIds = _model("CounterIds", View, quote_ids=list[str])


class StanceFields(Model):
    organization: str
    topic: str
    position: str
    position_label: str
    summary: str
    reading: Maybe[str]
    contested: bool
    strength: Strength
    strength_words: str
    quote_count: int


class Stance(StanceFields):
    quotes: list[Quote]
    counters: list[Counter]


class TopicStance(StanceFields):
    """A stance on the topic, its quotes by id (all of them at quotes_url)."""
    quote_ids: list[str]
    counters: list[CounterIds]
    quotes_url: str


Organization = _row("Organization", "organizations", stance_count=int, url=str)
Fact = _row("Fact", "facts", drop=("organization",))
OrganizationDetail = _model("OrganizationDetail", Organization, facts=list[Fact], stances=list[Stance])
Topic = _row("Topic", "topics", stance_count=int, url=str)
Position = _row("Position", "positions", drop=("topic",))
TopicDetail = _model("TopicDetail", Topic, positions=list[Position], stances=list[TopicStance])
Source = _row("Source", "sources", url_dashboard=str)
Correction = _row("Correction", "corrections")


# ---- the answers: each carries the dataset version -----------------------------------------
class Answer(Model):
    dataset: Dataset


Endpoints = _model("Endpoints", Answer, endpoints=dict[str, str])
OrganizationList = _model("OrganizationList", Answer, count=int, organizations=list[Organization])
OrganizationAnswer = _model("OrganizationAnswer", Answer, organization=OrganizationDetail)
TopicList = _model("TopicList", Answer, count=int, topics=list[Topic])
TopicAnswer = _model("TopicAnswer", Answer, topic=TopicDetail)
SourceList = _model("SourceList", Answer, count=int, sources=list[Source])
CorrectionList = _model("CorrectionList", Answer, count=int, corrections=list[Correction])


class QuotePage(Answer):
    count: int
    offset: int
    limit: int
    next: str | None = Field(description="The next page, or null on the last")
    quotes: list[Quote]


QuoteAnswer = _model("QuoteAnswer", Answer, quote=CitedQuote)


class ErrorDetail(Model):
    status: int
    code: str
    message: str
    parameter: Maybe[str]


class Error(Model):
    """Every refused request, of the API and of the app's callbacks."""
    error: ErrorDetail
    dataset: Dataset | None


# ---- the queries ----------------------------------------------------------------------------
def _ids(what: str) -> Any:
    return Field([], max_length=MAX_VALUES, description=f"Only {what} (ids: repeat the parameter, or "
                                                         "separate them with commas).")


class NoQuery(Model):
    """No parameters: any is refused."""


class QuoteQuery(Model):
    organization: list[str] = _ids("quotes on these organizations' stances")
    topic: list[str] = _ids("these topics")
    tradition: list[str] = _ids("organizations of these traditions")
    attribution: list[str] = _ids("these speakers: " + ", ".join(ATTRIBUTIONS))
    text: str = Field("", max_length=MAX_TEXT, pattern=r"^[^\x00-\x1f]*$",
                      description="Words the quote, its summary or its speaker contain (case-insensitive).")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Quotes per page.")
    offset: int = Field(0, ge=0, le=10 ** 9, description="How many matching quotes to skip.")


# ---- the description ----------------------------------------------------------------------
class _Schema(GenerateJsonSchema):
    def field_title_should_be_set(self, schema: Any) -> bool:
        return False  # a field's name is its title


def openapi(routes: list, known: dict[str, set[str]], version: str) -> dict:
    """The OpenAPI 3.1 description of `routes` ((path, summary, answer, query, ...) each), with the
    filters' values of this dataset (`known`)."""
    ref = "#/components/schemas/{model}"
    models = [*dict.fromkeys(r[2] for r in routes), Error]
    _, top = models_json_schema([(m, "serialization") for m in models], ref_template=ref, schema_generator=_Schema)

    def answer(description: str, model: type[BaseModel] = Error) -> dict:
        return {"description": description,
                "content": {"application/json": {"schema": {"$ref": ref.format(model=model.__name__)}}}}

    paths = {}
    for path, summary, model, query, *_ in routes:
        params = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}] if "{id}" in path else []
        for name, schema in query.model_json_schema(schema_generator=_Schema)["properties"].items():
            if name in known:  # each value: one id of this dataset, or several separated by commas
                one = "|".join(sorted(known[name]))
                schema["items"]["pattern"] = f"^({one})(,({one}))*$"
            params.append({"name": name, "in": "query", "description": schema.pop("description"), "schema": schema})
        responses = {"200": answer(summary, model),
                     "400": answer("A parameter this endpoint does not take, or a bad value"),
                     **({"404": answer("No such record")} if "{id}" in path else {}),
                     "500": answer("The request could not be answered")}
        paths[path] = {"get": {"summary": summary, "parameters": params, "responses": responses}}
    return {"openapi": "3.1.0",
            "info": {"title": "Tendency Atlas API", "version": version,
                     "description": "Read-only JSON over the Tendency Atlas dataset: organizations, topics, stances "
                                    "and the quotes they rest on, each anchored in its source by W3C Web Annotation "
                                    "selectors. Every answer carries the dataset version; errors share one shape. "
                                    "Other methods than GET are answered 405 with an Allow header.",
                     "license": {"name": "CC-BY-4.0 (the curated data)", "identifier": "CC-BY-4.0"}},
            "paths": paths, "components": {"schemas": top["$defs"]}}

