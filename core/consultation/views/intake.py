"""Bringing a topic in: a resident proposes, the committee records what reached it
another way, the town assigns."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.consultation import (
    forms,
    topics,
)
from core.consultation.views import (
    bp,
    chosen_files,
    node_or_error,
)
from core.kernel.actions import attempt
from core.kernel.options import options
from core.places import tree


def villages_for(action):
    """Villages where the current user may perform ``action``, for a select field."""
    return tree.villages_where(current_user, action)


def choose_node(field, nodes):
    field.choices = options([(node.code, node.name) for node in nodes])



def _intake(form, template, create, **extra):
    """The page of an intake form; a posted one makes the topic and opens its page, or comes
    back (400) with the reason and what was typed."""
    if request.method != "POST":
        return render_template(template, form=form, **extra)
    made, topic = attempt(form, lambda: create(form))
    if made:
        flash(_l("The topic has been recorded."), "success")
        return redirect(url_for("topics.show", topic_id=topic.id))
    return render_template(template, form=form, **extra), 400


@bp.route("/topics/propose", methods=["GET", "POST"])
@login_required
def propose():
    form = forms.ProposeForm()
    villages = villages_for("topic.propose")
    if not villages:
        abort(403)
    choose_node(form.village, villages)
    return _intake(form, "topics/propose.html", lambda f: topics.propose(
        current_user, node_or_error(f.village.data), title=f.title.data,
        description=f.description.data, files=chosen_files(f.files)))


@bp.route("/topics/record", methods=["GET", "POST"])
@login_required
def record():
    form = forms.RecordForm()
    villages = villages_for("topic.record")
    if not villages:
        abort(403)
    choose_node(form.village, villages)
    return _intake(form, "topics/record.html", lambda f: topics.record(
        current_user, node_or_error(f.village.data), title=f.title.data,
        description=f.description.data, channel=f.channel.data,
        on_behalf_of=f.on_behalf_of.data, files=chosen_files(f.files)))


@bp.route("/topics/assign", methods=["GET", "POST"])
@login_required
def assign():
    form = forms.AssignForm()
    villages = villages_for("topic.assign")
    if not villages:
        abort(403)
    choose_node(form.village, villages)

    def create(f):
        village = node_or_error(f.village.data)
        return topics.assign(current_user, tree.town_of(village), village,
                             title=f.title.data, description=f.description.data,
                             files=chosen_files(f.files))

    return _intake(form, "topics/assign.html", create)
