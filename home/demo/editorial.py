"""The editorial set-up: who may write and publish courses and case studies, and the
moderation workflow they go through.

Editors write and submit; moderators approve, which publishes. Wagtail's default groups already
hold page permissions on the root page (Editors: add and change; Moderators: also publish);
when those are missing, they are granted on the two index pages. The Theme snippet permissions
come from ``courses/migrations/0002_theme_permissions.py``, image and document collection
permissions from Wagtail's own migrations."""

from django.contrib.auth.models import Group, Permission

from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from academy import roles

from . import CREATED, UNCHANGED, UPDATED, Summary

WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Moderator approval"
PAGE_PERMISSIONS = {
    roles.EDITORS: ("add_page", "change_page"),
    roles.MODERATORS: ("add_page", "change_page", "publish_page"),
}


def load_editorial(summary: Summary, course_index: Page, case_study_index: Page) -> Workflow:
    """Page permissions for editors and moderators under both indexes and the "Editorial
    review" workflow assigned to them. Returns the workflow."""
    for index in (course_index, case_study_index):
        for group_name, codenames in PAGE_PERMISSIONS.items():
            _page_permissions(summary, index, Group.objects.get(name=group_name), codenames)
    task = _approval_task(summary, Group.objects.get(name=roles.MODERATORS))
    workflow = _workflow(summary, task)
    for index in (course_index, case_study_index):
        _assign(summary, workflow, index)
    return workflow


def _page_permissions(summary: Summary, index: Page, group: Group, codenames) -> None:
    """Grant each permission the group does not already hold on the index or an ancestor."""
    ancestors = index.get_ancestors(inclusive=True)
    for codename in codenames:
        label = f"{group.name} {codename} under {index.url_path}"
        held = GroupPagePermission.objects.filter(
            group=group, permission__codename=codename, page__in=ancestors
        ).exists()
        if held:
            summary.record("permissions", UNCHANGED, label)
            continue
        GroupPagePermission.objects.create(
            group=group,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
        summary.record("permissions", CREATED, label)


def _approval_task(summary: Summary, moderators: Group) -> GroupApprovalTask:
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
        task.groups.set([moderators])
        summary.record("workflows", CREATED, f"task {TASK_NAME}")
        return task
    changed = False
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
        changed = True
    if list(task.groups.all()) != [moderators]:
        task.groups.set([moderators])
        changed = True
    summary.record("workflows", UPDATED if changed else UNCHANGED, f"task {TASK_NAME}")
    return task


def _workflow(summary: Summary, task: GroupApprovalTask) -> Workflow:
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    outcome = UNCHANGED
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        outcome = CREATED
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
        outcome = UPDATED
    links = WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order")
    if [link.task_id for link in links] != [task.pk]:
        links.delete()
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        outcome = outcome if outcome == CREATED else UPDATED
    summary.record("workflows", outcome, f"workflow {WORKFLOW_NAME}")
    return workflow


def _assign(summary: Summary, workflow: Workflow, page: Page) -> None:
    label = f"{WORKFLOW_NAME} on {page.url_path}"
    link = WorkflowPage.objects.filter(page=page).first()
    if link is None:
        WorkflowPage.objects.create(page=page, workflow=workflow)
        summary.record("workflows", CREATED, label)
    elif link.workflow_id != workflow.pk:
        link.workflow = workflow
        link.save(update_fields=["workflow"])
        summary.record("workflows", UPDATED, label)
    else:
        summary.record("workflows", UNCHANGED, label)
