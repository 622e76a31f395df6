"""The required documents JHLeasing starts with (issue 11.3's examples), loaded by a
data migration; staff edit them afterwards on each stage's admin page.

Stages are matched by their area's slug and their name as in workflows/pipelines.json;
a stage renamed or removed before this runs is skipped, and a requirement that exists
already is left as staff edited it.
"""

REQUIRED_DOCUMENTS = {
    ("gestorias", "Integración expediente"): [
        ("Factura", "La factura del vehículo, completa y legible."),
        ("Tarjeta de circulación", "Vigente, por ambos lados."),
        ("Identificación oficial", "INE o pasaporte vigente de quien firma el trámite."),
    ],
    ("siniestros", "Solicitud trámite"): [
        ("Denuncia o acta", "La denuncia ante el Ministerio Público o el acta de hechos del siniestro."),
        ("Póliza", "La póliza de seguro vigente del vehículo."),
    ],
}


def load_required_documents(stage_model, required_document_model) -> int:
    """Create the requirements above that do not exist yet; return how many were created."""
    created = 0
    for (area_slug, stage_name), documents in REQUIRED_DOCUMENTS.items():
        stage = stage_model.objects.filter(area__slug=area_slug, name=stage_name).first()
        if stage is None:
            continue
        for position, (name, help_text) in enumerate(documents):
            _document, new = required_document_model.objects.get_or_create(
                stage=stage, name=name, defaults={"help_text": help_text, "position": position}
            )
            created += new
    return created
