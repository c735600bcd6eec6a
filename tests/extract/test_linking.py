"""Names as written link to the graph's entities, or become new ones the builder accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder import Project
from graph_builder.extract.glossary import read_glossary
from graph_builder.extract.propose import Workspace, open_workspace
from graph_builder.rdf.namespaces import HKG


@pytest.fixture(scope="module")
def workspace(project: Project) -> Workspace:
    return open_workspace(project)


def test_a_name_in_the_graph_links_to_its_entity(workspace: Workspace) -> None:
    link = workspace.linker.link("焦作市妇幼保健院", ("institutions",))
    assert (link.id, link.section, link.new) == ("jiaozuo-mch", "institutions", None)


def test_a_recorded_alternative_name_links_too(workspace: Workspace) -> None:
    """长治市妇产医院 is recorded as a name of 长治市妇幼保健院 (a naming fact)."""
    assert workspace.linker.link("长治市妇产医院", ("institutions",)).id == "changzhi-mch"


def test_names_are_looked_up_in_the_sections_given(workspace: Workspace) -> None:
    link = workspace.linker.link("焦作市妇女儿童专科联盟", ("institutions", "alliances"))
    assert (link.id, link.section) == ("jiaozuo-women-children-specialty-alliance", "alliances")


@pytest.mark.parametrize(
    ("name", "section", "base", "kind"),
    [
        ("开封市出生缺陷防治重点实验室", "designations", None, "KeyLaboratory"),
        ("河南省胚胎细胞与单基因病诊断工程技术研究中心二部", "designations", None, "Designation"),
        ("国家级孕产期保健特色专科", "designations", None, "CharacteristicSpecialty"),
        ("濮阳市示范基地", "designations", None, "Base"),
        (
            "安阳市妇幼保健计划生育服务中心",
            "institutions",
            HKG.Hospital,
            "MaternalAndChildHealthHospital",
        ),
        ("安阳市人民医院", "institutions", HKG.Hospital, "Hospital"),
        ("安阳市儿童医院", "institutions", None, "ChildrensHospital"),
        ("安阳市妇幼专科医联体", "alliances", None, "MedicalConsortium"),
        ("安阳市残疾人联合会", "institutions", None, "Institution"),
    ],
)
def test_a_new_entity_is_of_the_kind_its_name_ends_with(
    workspace: Workspace, name: str, section: str, base: object, kind: str
) -> None:
    link = workspace.linker.link(name, (section,), base=base)  # type: ignore[arg-type]
    assert link.new is not None and link.new["kind"] == kind
    assert link.new["zh"] == name and "en" not in link.new


def test_a_new_institution_is_placed_where_its_name_says(workspace: Workspace) -> None:
    link = workspace.linker.link("焦作市第二人民医院", ("institutions",))
    assert link.new is not None and link.new["located_in"] == "jiaozuo"
    assert link.id.startswith("jiaozuo-")


def test_the_same_new_name_is_one_entity(workspace: Workspace) -> None:
    first = workspace.linker.link("长治市第三人民医院", ("institutions",))
    again = workspace.linker.link("长治市第三人民医院", ("institutions", "alliances"))
    assert first.id == again.id and first.new is again.new


def test_new_ids_are_unique_against_the_data(workspace: Workspace) -> None:
    """An alliance named like an institution gets a slug the institution took: -2."""
    link = workspace.linker.link("焦作市妇幼保健院", ("alliances",))
    assert link.id == "jiaozuo-mch-2"


def test_english_comes_from_the_glossary_only(tmp_path: Path, scratch: Project) -> None:
    glossary = scratch.data_dir / "reference" / "glossary.yaml"
    glossary.write_text(
        "terms:\n  - zh: 安阳市妇幼保健院\n    en: Anyang MCH Hospital\n    slug: anyang-mch\n",
        encoding="utf-8",
    )
    linker = open_workspace(scratch).linker
    named = linker.link("安阳市妇幼保健院", ("institutions",))
    assert named.new is not None and named.new["en"] == "Anyang MCH Hospital"
    assert named.id == "anyang-mch"
    unnamed = linker.link("安阳市妇幼保健院东院", ("institutions",))
    assert unnamed.new is not None and "en" not in unnamed.new
    assert read_glossary(tmp_path / "absent.yaml").terms == {}


def test_the_projects_glossary_is_curator_provided(project: Project) -> None:
    glossary = read_glossary(project.data_dir / "reference" / "glossary.yaml")
    assert glossary.terms["妇幼保健院"].slug == "mch"
    text = (project.data_dir / "reference" / "glossary.yaml").read_text(encoding="utf-8")
    assert text.count("curator-provided") == len(glossary.terms)
