"""Where a page sits in the catalog → course → module tree (Wagtail's materialised paths)."""


def course_path_of(module) -> str:
    """The tree path of a module's course: its parent's. The one place that slices a page path.

    Wagtail (treebeard) stores a page's ancestry in `path`, `steplen` characters a level,
    so the parent's path is ours without the last step: no query, and usable in a filter
    (`CoursePage.objects.get(path=course_path_of(module))`) or as a key of courses by path.
    """
    return module.path[: -module.steplen]
