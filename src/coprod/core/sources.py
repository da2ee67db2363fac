"""Where a rule or an entry comes from, so that the user can always see it."""

from pydantic import BaseModel, ConfigDict, Field


class Source(BaseModel):
    """A pointer into a named document: which passage, and its words where Coprod quotes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: str = Field(description="Id of a document in the catalogue's list of documents.")
    locator: str = Field(min_length=1, description="Table, section or question, e.g. 'Table 2'.")
    quote: str | None = Field(
        default=None, description="The document's own words, when Coprod quotes them."
    )


class Document(BaseModel):
    """A work that Coprod's catalogue cites."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    citation: str = Field(min_length=1)
    short: str = Field(
        min_length=1, description="How to name it in a sentence, e.g. 'Oliver 2019'."
    )
    url: str | None = None
    licence: str | None = None
